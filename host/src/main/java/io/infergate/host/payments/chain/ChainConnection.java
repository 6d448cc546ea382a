package io.infergate.host.payments.chain;

import io.infergate.host.config.HostConfig;
import io.infergate.host.leadership.LeaderElection;
import io.infergate.host.leadership.LeaderRole;
import io.infergate.host.payments.gate.DepositFacilitator;
import io.infergate.host.payments.gate.RefundFacilitator;
import io.infergate.host.payments.gate.WithdrawalGuard;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The node's connection to the chain, when {@code payments.rpc-url} is set: the watcher that mirrors the
 * contract into the ledger, the deposit and refund submitters (the node as facilitator, behind the gate's
 * {@link DepositFacilitator} and {@link RefundFacilitator}) and the claim scheduler (whose dead-man rule is the gate's
 * {@link WithdrawalGuard}). One facilitator key pays gas for deposits, claims and refunds, through one
 * {@link TransactionSender}, so nonces never race. Replicas sharing a PostgreSQL ledger elect one claims leader
 * ({@link LeaderElection}), so only one of them claims at a time.
 */
public final class ChainConnection implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChainConnection.class);
  private final Web3j web3j;
  private final ChainWatcher watcher;
  private final DepositSubmitter deposits;
  private final ClaimScheduler claims;
  private final RefundSubmitter refunds;
  private final WatcherCheckpoint checkpoint;
  private final TransactionSender sender;
  private final long chainId;

  private ChainConnection(Web3j web3j, ChainWatcher watcher, DepositSubmitter deposits, ClaimScheduler claims,
      RefundSubmitter refunds, WatcherCheckpoint checkpoint, TransactionSender sender, long chainId) {
    this.sender = sender;
    this.chainId = chainId;
    this.refunds = refunds;
    this.web3j = web3j;
    this.watcher = watcher;
    this.deposits = deposits;
    this.claims = claims;
    this.checkpoint = checkpoint;
  }

  /** Connects, and starts the watcher and the claim scheduler. */
  public static ChainConnection start(HostConfig.Payments payments, HostConfig.Chain config, ChannelLedger ledger,
      MeterRegistry registry) {
    Web3j web3j = Web3j.build(new HttpService(config.rpcUrl()));
    LeaderElection claimsLeader = null;
    try {
      String contract = payments.settings().batchSettlement().toString();
      SettlementChain chain;
      try {
        chain = SettlementChain.connect(web3j, contract);
        if (chain.chainId() != payments.settings().chainId()) {
          throw new IllegalStateException("payments.rpc-url " + config.rpcUrl() + " serves chain " + chain.chainId()
              + " but payments.chain-id is " + payments.settings().chainId() + "; point it at the right chain");
        }
      } catch (ChainRpcException e) {
        // Start anyway: known channels are served within their mirrored balance, deposits are refused until the
        // chain answers, and readiness reports the outage (the watcher keeps trying).
        LOG.warn("the chain at {} does not answer ({}); serving known channels, refusing deposits until it does",
            config.rpcUrl(), e.getMessage());
        chain = SettlementChain.configured(web3j, payments.settings().chainId(), contract);
      }
      ChainMetrics metrics = ChainMetrics.create(registry);
      TransactionSender sender = TransactionSender.create(chain,
          Credentials.create(config.facilitatorKey().exportSecretHex()), Duration.ofMillis(250),
          SentTransactionJournal.in(ledger.database()));
      WatcherCheckpoint checkpoint = WatcherCheckpoint.in(ledger.database());
      ChainWatcher watcher = ChainWatcher.create(chain, ledger, checkpoint,
          ChainWatcherOptions.defaults().withPollInterval(config.pollInterval())
              .withConfirmations(config.confirmations()), metrics);
      DepositSubmitter deposits = DepositSubmitter.create(chain, ledger, sender,
          DepositOptions.defaults(payments.settings().erc3009Collector().toString())
              .withConfirmations(config.confirmations()).withReplaceAfter(config.claimReplaceAfter()),
          Clock.systemUTC(), metrics);
      claimsLeader = LeaderElection.forLedger(payments.ledger(), LeaderRole.CLAIMS, registry);
      ClaimScheduler claims = ClaimScheduler.create(chain, ledger, sender, config.receiverAuthorizerKey(),
          ClaimSchedulerOptions.defaults().withMinUnclaimed(config.minUnclaimed())
              .withTickInterval(config.claimTick()).withReplaceAfter(config.claimReplaceAfter()),
          Clock.systemUTC(), metrics, claimsLeader);
      RefundSubmitter refunds = RefundSubmitter.create(chain, ledger, sender, config.receiverAuthorizerKey(),
          RefundOptions.defaults().withConfirmations(config.confirmations())
              .withReplaceAfter(config.claimReplaceAfter()), metrics);
      watcher.start();
      claims.start();
      return new ChainConnection(web3j, watcher, deposits, claims, refunds, checkpoint, sender, chain.chainId());
    } catch (RuntimeException e) {
      if (claimsLeader != null) {
        claimsLeader.close();
      }
      web3j.shutdown();
      throw e;
    }
  }

  /** The gate's deposit path: submit, confirm, and report the channel's on-chain state. */
  public DepositFacilitator facilitator() {
    return (payload, offer) -> {
      DepositResult r = deposits.submit(payload);
      return new DepositFacilitator.Deposited(r.balance(), r.totalClaimed(), r.block());
    };
  }

  /** The gate's refund path: claim the charge and refund in one transaction, confirm, report the channel. */
  public RefundFacilitator refundFacilitator() {
    return (payload, charged, amount) -> {
      try {
        return refunds.submit(payload, charged, amount);
      } catch (SettlementTransactionException e) {
        throw new RefundFacilitator.Refused(e.code(), e.getMessage());
      }
    };
  }

  public WithdrawalGuard withdrawalGuard() {
    return claims::acceptsVouchers;
  }

  public ClaimScheduler claims() {
    return claims;
  }

  /** The web3j client of this connection (shared; shut down by {@link #close()}). */
  public Web3j web3j() {
    return web3j;
  }

  /** The chain id the connection was configured (and, when the RPC answered, checked) for. */
  public long chainId() {
    return chainId;
  }

  /**
   * The facilitator key's sender: whoever else sends from the same key (the receipt anchorer, when the receipt key
   * is the facilitator key) must use this one, so the key's nonces never race.
   */
  public TransactionSender sender() {
    return sender;
  }

  public ChainWatcher watcher() {
    return watcher;
  }

  @Override
  public void close() {
    claims.close();
    watcher.close();
    checkpoint.close();
    web3j.shutdown();
  }
}
