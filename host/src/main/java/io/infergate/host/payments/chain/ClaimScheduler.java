package io.infergate.host.payments.chain;

import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.host.leadership.LeaderElection;
import io.infergate.host.leadership.LeaderRole;
import io.infergate.host.leadership.SingleNodeElection;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.payments.ledger.ClaimSubmission;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ClaimEntry;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;

/*
 * Design notes.
 *
 * What is claimed: per channel, totalClaimed = chargedCumulativeAmount (what the node earned), never the
 * voucher's maximum: the rest of the maximum is the consumer's money. It is capped by the mirrored balance,
 * which only refunds and withdrawals lower (a claim above it would revert the whole batch).
 *
 * Crash safety: the transaction is signed first, its hash written to the ledger (markClaimSubmitted), and
 * only then broadcast. After a crash, claimsInFlight() names every transaction that may be on chain;
 * confirmInFlight() settles each by its receipt, or fails it if the chain never heard of it. Claims are
 * cumulative on chain, so a claim that landed twice or late pays nothing twice.
 *
 * Stuck claims: a claim transaction still unmined after replaceAfter (its fee fell below what blocks ask) is
 * replaced by ClaimReplacer: same nonce, fees up at least 12.5%, the new hash recorded before broadcasting
 * (markClaimReplaced). The ledger then names every transaction that may carry the claim (claimTransactions);
 * confirmation looks for a receipt among all of them, so the claim is confirmed once, by whichever landed, also
 * after a crash. A claim is failed as dropped only when the chain knows none of them. Replacements of claims
 * without urgent channels never offer more than gasPriceCap; urgent ones are not capped (dead-man rule).
 *
 * Stuck queue: a claim cannot be mined before the key's lower nonces. Before replacing claims, each round lets
 * NonceQueueUnblocker replace a deposit, refund or settle of this process that sits at the key's lowest unmined
 * nonce past replaceAfter (uncapped while an urgent claim is in flight, for the same dead-man reason). Settles
 * are waited for with ReplacingWait, which replaces them the same way.
 *
 * Dead-man rule: a payer's timed withdrawal takes every unclaimed token once its delay ends. The gate asks
 * acceptsVouchers() and refuses new vouchers within withdrawalSafetyMargin of the deadline; the scheduler
 * treats any channel with a withdrawal deadline inside urgentWindow as urgent: claimed at the next tick,
 * regardless of amount and gas price, with retries capped at backoffBase.
 *
 * Batching: one claimWithSignature carries up to maxChannelsPerTx rows, authorized by one receiver-authorizer
 * signature over the ClaimBatch digest; the facilitator key pays the gas. A batch whose simulation reverts is
 * split in halves until the offending channel stands alone and backs off, so one bad voucher cannot block
 * the others.
 *
 * Replicas: several nodes sharing a PostgreSQL ledger and the facilitator key would race on nonces and claim the
 * same channels twice, so only the claims leader (LeaderElection, role claims) runs rounds; the others tick, ask,
 * and take over when it goes. Everything a round needs is in the shared ledger (claims in flight included), so a
 * new leader's first round confirms or fails what the old one left in flight.
 */
/**
 * Claims the node's earnings on chain: batched {@code claimWithSignature} on a schedule, above a threshold and
 * always before a pending withdrawal can end; then {@code settle(receiver, token)}.
 *
 * <pre>{@code
 * ClaimScheduler claims = ClaimScheduler.create(chain, ledger, sender, receiverAuthorizerKey, options, clock, metrics);
 * claims.start();                               // confirms claims left in flight by a previous run, then ticks
 * if (!claims.acceptsVouchers(state, now)) ...  // the gate's dead-man check
 * }</pre>
 */
public final class ClaimScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimScheduler.class);

  private final SettlementChain chain;
  private final ChannelLedger ledger;
  private final TransactionSender sender;
  private final PrivateKey receiverAuthorizer;
  private final ClaimSchedulerOptions options;
  private final Clock clock;
  private final ChainMetrics metrics;
  private final BatchSettlement encoder;
  private final Map<String, Backoff> backoff = new ConcurrentHashMap<>();
  private final ClaimReplacer replacer;
  private final NonceQueueUnblocker unblocker;
  private final ReplacingWait settleWait;
  private final LeaderElection leadership;
  private final Object roundLock = new Object();
  private Instant nextFullClaim;
  private PeriodicTask ticker;

  private record Backoff(int failures, Instant notBefore, String reason) {}

  private ClaimScheduler(SettlementChain chain, ChannelLedger ledger, TransactionSender sender,
      PrivateKey receiverAuthorizer, ClaimSchedulerOptions options, Clock clock, ChainMetrics metrics,
      LeaderElection leadership) {
    this.chain = chain;
    this.leadership = leadership;
    this.ledger = ledger;
    this.sender = sender;
    this.receiverAuthorizer = receiverAuthorizer;
    this.options = options;
    this.clock = clock;
    this.metrics = metrics;
    this.encoder = BatchSettlement.load(chain.contract(), chain.web3j(),
        new ReadonlyTransactionManager(chain.web3j(), sender.address()),
        new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO));
    this.nextFullClaim = clock.instant().plus(options.claimInterval());
    this.replacer = new ClaimReplacer(ledger, sender, options.replaceAfter(), clock, metrics);
    StuckTransactionReplacer others = new StuckTransactionReplacer(sender, options.replaceAfter(), metrics);
    this.unblocker = new NonceQueueUnblocker(sender, others);
    this.settleWait = new ReplacingWait(sender, others, options.gasPriceCap());
  }

  /**
   * A scheduler that signs claim batches with {@code receiverAuthorizer} (the channels' receiverAuthorizer) and
   * pays gas through {@code sender}. {@code clock} is chain time as far as deadlines go (seconds since epoch).
   */
  public static ClaimScheduler create(SettlementChain chain, ChannelLedger ledger, TransactionSender sender,
      PrivateKey receiverAuthorizer, ClaimSchedulerOptions options, Clock clock, ChainMetrics metrics) {
    return create(chain, ledger, sender, receiverAuthorizer, options, clock, metrics,
        SingleNodeElection.always(LeaderRole.CLAIMS));
  }

  /**
   * A scheduler whose ticks run a round only while {@code leadership} says this replica leads the claims (replicas
   * sharing a ledger); it closes {@code leadership} when it closes.
   */
  public static ClaimScheduler create(SettlementChain chain, ChannelLedger ledger, TransactionSender sender,
      PrivateKey receiverAuthorizer, ClaimSchedulerOptions options, Clock clock, ChainMetrics metrics,
      LeaderElection leadership) {
    return new ClaimScheduler(Objects.requireNonNull(chain, "chain"), Objects.requireNonNull(ledger, "ledger"),
        Objects.requireNonNull(sender, "sender"), Objects.requireNonNull(receiverAuthorizer, "receiverAuthorizer"),
        Objects.requireNonNull(options, "options"), Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(metrics, "metrics"), Objects.requireNonNull(leadership, "leadership"));
  }

  /** Whether this replica runs the claim rounds, as of its last tick. */
  public LeaderElection leadership() {
    return leadership;
  }

  // ---- the gate's check

  /**
   * The dead-man rule: false if the channel's pending withdrawal can be finalized within the safety margin
   * from {@code now} (a voucher accepted now might not be claimed in time). True when no withdrawal is pending.
   */
  public boolean acceptsVouchers(ChannelState channel, Instant now) {
    return channel.withdrawDeadline().stream()
        .allMatch(deadline -> now.plus(options.withdrawalSafetyMargin()).getEpochSecond() < deadline);
  }

  // ---- running

  /**
   * Confirms what a previous run left in flight, then runs a round every {@code tickInterval}: each tick asks the
   * election first and runs the round only while this replica leads the claims.
   */
  public synchronized void start() {
    if (ticker != null) {
      return;
    }
    ticker = PeriodicTask.start("claim-scheduler", options.tickInterval(), Duration.ofSeconds(5),
        // A follower refreshes the meters: the amounts are the shared ledger's, every replica shows them.
        leadership.gate(this::runOnce, () -> metrics.refreshTotals(ledger)));
  }

  /**
   * One round: resolve in-flight claims, unblock the key's nonce queue (a stuck deposit, refund or settle at its
   * head), replace stuck claims, submit due ones, wait for them, settle, refresh the metrics. Leadership is checked again before replacing, submitting and settling; a replica that lost it stops
   * there.
   */
  public ClaimRound runOnce() {
    synchronized (roundLock) {
      List<String> confirmed = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      List<String> pending = new ArrayList<>();
      BigInteger[] gas = {BigInteger.ZERO};
      int[] channels = {0};
      Set<List<String>> toSettle = new LinkedHashSet<>();
      List<Outcome> inFlight = confirmInFlightDetailed();
      resolve(inFlight, confirmed, failed, pending, gas, channels, toSettle);
      List<Outcome> waiting = inFlight.stream().filter(o -> o.receipt().isEmpty() && o.error() == null).toList();
      List<String> replaced = new ArrayList<>();
      boolean leads = stillLeading("replacing stuck transactions");
      List<String> unblocked = leads ? unblockQueue(waiting) : List.of();
      int stuck = leads ? replaceStuck(waiting, replaced) : 0;
      leads = leads && stillLeading("submitting claims");
      Submitted submitted = leads ? submitDueDetailed() : new Submitted(Map.of(), 0);
      resolve(awaitAll(submitted.transactions()), confirmed, failed, pending, gas, channels, toSettle);
      List<String> settlements = options.settle() && leads && stillLeading("settling") ? settle(toSettle)
          : List.of();
      metrics.refreshTotals(ledger);
      return new ClaimRound(confirmed, failed, pending, channels[0], submitted.deferred(), gas[0], settlements,
          stuck, replaced, unblocked);
    }
  }

  /**
   * Asked again before each step of a round that sends transactions, so that a leader whose lock went away during
   * the round (its connection dropped, another replica took over) stops before sending more.
   */
  private boolean stillLeading(String step) {
    if (leadership.lead()) {
      return true;
    }
    LOG.warn("claim round stopped before {}: this replica no longer leads the claims", step);
    return false;
  }

  /** Outcome of one claim transaction. */
  private record Outcome(String tx, List<ChannelState> channels, Optional<TransactionReceipt> receipt, String error) {}

  private void resolve(List<Outcome> outcomes, List<String> confirmed, List<String> failed, List<String> pending,
      BigInteger[] gas, int[] channels, Set<List<String>> toSettle) {
    for (Outcome o : outcomes) {
      if (o.receipt().isPresent() && o.error() == null) {
        confirmed.add(o.tx());
        channels[0] += o.channels().size();
        gas[0] = gas[0].add(o.receipt().get().getGasUsed());
        o.channels().forEach(s -> toSettle.add(List.of(s.config().receiver(), s.config().token())));
      } else if (o.error() != null) {
        failed.add(o.tx());
      } else {
        pending.add(o.tx());
      }
    }
  }

  // ---- in flight

  /**
   * Resolves claims left in flight (by this process or one that crashed): confirmed by a successful receipt of
   * the claim's transaction or of any of its replacements, failed by a reverted one or when the chain knows none
   * of them. Returns how many were resolved. Never replaces anything ({@link #runOnce()} does).
   */
  public int confirmInFlight() {
    synchronized (roundLock) {
      return (int) confirmInFlightDetailed().stream().filter(o -> o.receipt().isPresent() || o.error() != null)
          .count();
    }
  }

  private List<Outcome> confirmInFlightDetailed() {
    Map<String, List<ChannelState>> byClaim = new LinkedHashMap<>();
    for (ChannelState s : ledger.claimsInFlight()) {
      byClaim.computeIfAbsent(s.claim().txHash().orElseThrow(), k -> new ArrayList<>()).add(s);
    }
    List<Outcome> out = new ArrayList<>();
    for (Map.Entry<String, List<ChannelState>> e : byClaim.entrySet()) {
      out.add(resolveClaim(e.getKey(), e.getValue()));
    }
    return out;
  }

  /** One claim in flight: mined (by any of its transactions), still pending, or gone. */
  private Outcome resolveClaim(String claim, List<ChannelState> channels) {
    List<String> candidates = ledger.claimTransactions(claim);
    if (candidates.isEmpty()) {
      candidates = List.of(claim);
    }
    for (String tx : candidates) {
      Optional<TransactionReceipt> receipt = sender.receipt(tx);
      if (receipt.isPresent()) {
        return finish(claim, tx, channels, receipt.get());
      }
    }
    for (String tx : candidates) {
      if (sender.known(tx)) {
        return new Outcome(claim, channels, Optional.empty(), null);
      }
    }
    return fail(claim, channels, "dropped", candidates.size() == 1
        ? "the chain does not know the transaction (dropped, or never broadcast before a crash)"
        : "the chain knows none of its " + candidates.size() + " transactions " + candidates + " (dropped)");
  }

  /**
   * Replaces the waiting claims that are stuck; returns how many were stuck, and adds the replacements' hashes
   * to {@code replaced}.
   */
  private int replaceStuck(List<Outcome> waiting, List<String> replaced) {
    Instant dueBefore = clock.instant().plus(options.urgentWindow());
    int stuck = 0;
    for (Outcome o : waiting) {
      if (!replacer.stuck(o.tx())) {
        continue;
      }
      stuck++;
      boolean anyUrgent = o.channels().stream().anyMatch(s -> urgent(s, dueBefore));
      replacer.replace(o.tx(), ledger.claimTransactions(o.tx()), anyUrgent ? Optional.empty() : options.gasPriceCap())
          .ifPresent(replaced::add);
    }
    metrics.claimsStuck(stuck);
    return stuck;
  }

  /**
   * Replaces a stuck non-claim transaction at the head of the key's nonce queue; returns the replacement's hash,
   * if one was sent. The gas price cap is lifted while a claim of an urgent channel waits behind it.
   */
  private List<String> unblockQueue(List<Outcome> waiting) {
    Instant dueBefore = clock.instant().plus(options.urgentWindow());
    boolean urgentWaits = waiting.stream().flatMap(o -> o.channels().stream()).anyMatch(s -> urgent(s, dueBefore));
    return unblocker.unblock(urgentWaits ? Optional.empty() : options.gasPriceCap()).stream().toList();
  }

  private List<Outcome> awaitAll(Map<String, List<ChannelState>> txs) {
    List<Outcome> out = new ArrayList<>();
    for (Map.Entry<String, List<ChannelState>> e : txs.entrySet()) {
      Optional<TransactionReceipt> r = sender.await(e.getKey(), options.confirmations(), options.receiptTimeout());
      out.add(r.isPresent() ? finish(e.getKey(), e.getKey(), e.getValue(), r.get())
          : new Outcome(e.getKey(), e.getValue(), Optional.empty(), null));
    }
    return out;
  }

  /** The claim keyed {@code claim} was mined in transaction {@code tx} (the original or a replacement). */
  private Outcome finish(String claim, String tx, List<ChannelState> channels, TransactionReceipt receipt) {
    if (receipt.isStatusOK()) {
      ledger.markClaimConfirmed(tx);
      replacer.resolved(claim);
      channels.forEach(s -> backoff.remove(s.channelId()));
      metrics.claimTransaction("confirmed");
      LOG.info("claim {} confirmed in block {}{}: {} channels, gas {}", claim, receipt.getBlockNumber(),
          tx.equals(claim) ? "" : " by its replacement " + tx, channels.size(), receipt.getGasUsed());
      return new Outcome(tx, channels, Optional.of(receipt), null);
    }
    return fail(claim, channels, "reverted", "reverted in block " + receipt.getBlockNumber() + ": "
        + sender.revertReasonOf(receipt));
  }

  private Outcome fail(String claim, List<ChannelState> channels, String outcome, String error) {
    ledger.markClaimFailed(claim, error);
    replacer.resolved(claim);
    channels.forEach(s -> backOff(s, error));
    metrics.claimTransaction(outcome);
    LOG.warn("claim {} failed ({}): {}; its {} channels are claimable again", claim, outcome, error,
        channels.size());
    return new Outcome(claim, channels, Optional.empty(), error);
  }

  // ---- submitting

  /** Claim transactions broadcast by one round, and the channels left for later because of gas. */
  private record Submitted(Map<String, List<ChannelState>> transactions, int deferred) {}

  /**
   * Submits claims for every due channel without waiting for them (they are in the ledger as in flight);
   * returns the transaction hashes. {@link #runOnce()} is this plus waiting; tests use it to stop in between.
   */
  public List<String> submitDue() {
    synchronized (roundLock) {
      return List.copyOf(submitDueDetailed().transactions().keySet());
    }
  }

  private Submitted submitDueDetailed() {
    Instant now = clock.instant();
    boolean full = !now.isBefore(nextFullClaim);
    Instant dueBefore = now.plus(options.urgentWindow());
    int limit = options.maxChannelsPerTx() * 20;
    List<ChannelState> due = ledger.claimable(full ? BigInteger.ONE : options.minUnclaimed(), dueBefore, limit)
        .stream().filter(s -> claimableByUs(s, now)).toList();
    if (due.isEmpty()) {
      nextFullClaim = full ? now.plus(options.claimInterval()) : nextFullClaim;
      return new Submitted(Map.of(), 0);
    }
    List<ChannelState> urgent = due.stream().filter(s -> urgent(s, dueBefore)).toList();
    List<ChannelState> chosen = due;
    int deferred = 0;
    if (options.gasPriceCap().isPresent() && urgent.size() < due.size()) {
      BigInteger price = chain.gasPrice();
      if (price.compareTo(options.gasPriceCap().get()) > 0) {
        chosen = urgent;
        deferred = due.size() - urgent.size();
        LOG.info("gas price {} wei is above the cap {}; deferring {} non-urgent claims", price,
            options.gasPriceCap().get(), deferred);
      }
    }
    if (full && deferred == 0) {
      nextFullClaim = now.plus(options.claimInterval());
    }
    Map<String, List<ChannelState>> txs = new LinkedHashMap<>();
    for (int i = 0; i < chosen.size(); i += options.maxChannelsPerTx()) {
      submitBatch(chosen.subList(i, Math.min(chosen.size(), i + options.maxChannelsPerTx())), txs);
    }
    return new Submitted(txs, deferred);
  }

  private boolean claimableByUs(ChannelState s, Instant now) {
    BigInteger claimed = s.chain().totalClaimed().max(s.claim().confirmedUpTo());
    if (!s.config().receiverAuthorizer().equalsIgnoreCase(receiverAuthorizer.address().toLowerHex())
        || s.voucher().isEmpty() || upTo(s).compareTo(claimed) <= 0) {
      return false;
    }
    Backoff b = backoff.get(s.channelId());
    return b == null || !now.isBefore(b.notBefore());
  }

  private static boolean urgent(ChannelState s, Instant dueBefore) {
    return s.withdrawDeadline().isPresent() && s.withdrawDeadline().getAsLong() < dueBefore.getEpochSecond();
  }

  /** The claim target: everything charged, but never above what the channel holds. */
  private static BigInteger upTo(ChannelState s) {
    return s.chargedCumulativeAmount().min(s.chain().balance());
  }

  private void submitBatch(List<ChannelState> batch, Map<String, List<ChannelState>> txs) {
    List<BatchSettlement.VoucherClaim> rows = new ArrayList<>();
    List<ClaimEntry> entries = new ArrayList<>();
    List<ClaimSubmission> marks = new ArrayList<>();
    for (ChannelState s : batch) {
      BigInteger max = s.voucher().orElseThrow().maxClaimableAmount();
      BigInteger upTo = upTo(s);
      rows.add(new BatchSettlement.VoucherClaim(new BatchSettlement.Voucher(onChain(s), max),
          s.voucher().get().signature(), upTo));
      entries.add(new ClaimEntry(Bytes32.parse(s.channelId()), max, upTo));
      marks.add(new ClaimSubmission(s.channelId(), upTo));
    }
    byte[] authorization = receiverAuthorizer.sign(
        BatchSettlementTypedData.claimBatchDigest(chain.domain(), entries)).toBytes();
    String data = encoder.claimWithSignature(rows, authorization).encodeFunctionCall();
    BigInteger gas;
    try {
      gas = sender.simulate(chain.contract(), data);
    } catch (TransactionSender.Reverted e) {
      if (batch.size() > 1) {
        int half = batch.size() / 2;
        submitBatch(batch.subList(0, half), txs);
        submitBatch(batch.subList(half, batch.size()), txs);
      } else {
        backOff(batch.getFirst(), "claim simulation reverted: " + e.reason());
        metrics.claimTransaction("simulation_failed");
        LOG.warn("claim of channel {} up to {} would revert ({}); backing off", batch.getFirst().channelId(),
            upTo(batch.getFirst()), e.reason());
      }
      return;
    }
    try {
      String tx = sender.send(chain.contract(), data, gas, new TransactionSender.Purpose(TransactionSender.Kind.CLAIM,
          "a claim of " + batch.size() + (batch.size() == 1 ? " channel" : " channels")), hash -> ledger.markClaimSubmitted(marks, hash));
      replacer.sent(tx);
      txs.put(tx, batch);
    } catch (RuntimeException e) {
      // Marked but not accepted by the node: confirmInFlight() fails it once the chain says it does not know it.
      metrics.claimTransaction("send_failed");
      LOG.warn("broadcasting a claim of {} channels failed: {}", batch.size(), e.getMessage());
    }
  }

  private void backOff(ChannelState s, String reason) {
    Instant now = clock.instant();
    Backoff previous = backoff.get(s.channelId());
    int failures = previous == null ? 1 : previous.failures() + 1;
    Duration delay = options.backoffBase().multipliedBy(1L << Math.min(20, failures - 1));
    Duration cap = s.withdrawDeadline().isPresent() ? options.backoffBase() : options.backoffMax();
    backoff.put(s.channelId(), new Backoff(failures, now.plus(delay.compareTo(cap) > 0 ? cap : delay), reason));
  }

  /** Why the channel's last claim attempt failed and when it is retried, if it is backing off. */
  public Optional<String> backoffReason(String channelId) {
    return Optional.ofNullable(backoff.get(channelId.toLowerCase(java.util.Locale.ROOT)))
        .map(b -> b.reason() + " (retry after " + b.notBefore() + ")");
  }

  private static BatchSettlement.ChannelConfig onChain(ChannelState s) {
    var c = s.config();
    return new BatchSettlement.ChannelConfig(c.payer(), c.payerAuthorizer(), c.receiver(), c.receiverAuthorizer(),
        c.token(), BigInteger.valueOf(c.withdrawDelay()), org.web3j.utils.Numeric.hexStringToByteArray(c.salt()));
  }

  // ---- settling

  private List<String> settle(Set<List<String>> pairs) {
    List<String> done = new ArrayList<>();
    for (List<String> p : pairs) {
      String data = encoder.settle(p.get(0), p.get(1)).encodeFunctionCall();
      try {
        BigInteger gas = sender.simulate(chain.contract(), data);
        String tx = sender.send(chain.contract(), data, gas, new TransactionSender.Purpose(
            TransactionSender.Kind.SETTLE, "settle(" + p.get(0) + ", " + p.get(1) + ")"), hash -> {});
        ReplacingWait.Outcome waited = settleWait.await(tx, options.confirmations(), options.receiptTimeout());
        Optional<TransactionReceipt> r = waited.receipt();
        if (r.isPresent() && r.get().isStatusOK()) {
          done.add(waited.hash());
        } else {
          LOG.warn("settle({}, {}) in {} did not confirm; the next round settles again", p.get(0), p.get(1),
              waited.candidatesText());
        }
      } catch (RuntimeException e) {
        LOG.warn("settle({}, {}) failed (the next claim round settles again): {}", p.get(0), p.get(1), e.getMessage());
      }
    }
    return done;
  }

  /** Stops the rounds, then gives up leadership (another replica takes over at its next tick). */
  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.close();
      ticker = null;
    }
    leadership.close();
  }
}
