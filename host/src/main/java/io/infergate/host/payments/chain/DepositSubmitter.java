package io.infergate.host.payments.chain;

import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.wire.BatchSettlementError;
import io.infergate.x402.wire.Deposit;
import io.infergate.x402.wire.SchemePayload.DepositPayload;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

/**
 * The node as facilitator for deposits: submits a payer's ERC-3009-authorized deposit
 * ({@code BatchSettlement.deposit(config, amount, collector, collectorData)}), pays its gas with the facilitator
 * key, waits for the receipt and confirmations, and mirrors the channel's new on-chain state into the ledger
 * before returning, so the gate accepts the first voucher on it only once the money is there.
 *
 * <pre>{@code
 * DepositResult r = deposits.submit(payload);   // SettlementTransactionException with an x402 code otherwise
 * }</pre>
 *
 * <p>The payload must already be verified by the gate (channel id, offer match, voucher signature); this class
 * checks what only the chain can: the authorization itself, by simulation, then by inclusion.
 */
public final class DepositSubmitter {
  private final SettlementChain chain;
  private final ChannelLedger ledger;
  private final TransactionSender sender;
  private final DepositOptions options;
  private final Clock clock;
  private final BatchSettlement encoder;
  private final ReplacingWait wait;

  private DepositSubmitter(SettlementChain chain, ChannelLedger ledger, TransactionSender sender,
      DepositOptions options, Clock clock, ChainMetrics metrics) {
    this.chain = chain;
    this.wait = new ReplacingWait(sender, new StuckTransactionReplacer(sender,
        StuckTransactionReplacer.withinWait(options.replaceAfter(), options.receiptTimeout()), metrics),
        options.gasPriceCap());
    this.ledger = ledger;
    this.options = options;
    this.clock = clock;
    this.sender = sender;
    this.encoder = BatchSettlement.load(chain.contract(), chain.web3j(),
        new ReadonlyTransactionManager(chain.web3j(), sender.address()),
        new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO));
  }

  /** A submitter paying gas through {@code sender}; {@code clock} judges the authorization's validity window. */
  public static DepositSubmitter create(SettlementChain chain, ChannelLedger ledger, TransactionSender sender,
      DepositOptions options, Clock clock) {
    return create(chain, ledger, sender, options, clock, ChainMetrics.none());
  }

  /** As above, counting replacements of stuck deposits in {@code metrics}. */
  public static DepositSubmitter create(SettlementChain chain, ChannelLedger ledger, TransactionSender sender,
      DepositOptions options, Clock clock, ChainMetrics metrics) {
    return new DepositSubmitter(Objects.requireNonNull(chain, "chain"), Objects.requireNonNull(ledger, "ledger"),
        Objects.requireNonNull(sender, "sender"), Objects.requireNonNull(options, "options"),
        Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(metrics, "metrics"));
  }

  /**
   * Submits the deposit and returns once it is confirmed and mirrored. A deposit still unmined after
   * {@link DepositOptions#replaceAfter()} is replaced while the payer waits (same nonce, higher fee); the result
   * names whichever transaction was mined.
   */
  public DepositResult submit(DepositPayload payload) {
    Deposit.Erc3009Authorization auth = checked(payload.deposit());
    ChannelConfig config = payload.channelConfig();
    String channelId = BatchSettlementTypedData.channelId(chain.domain(), config).toString();
    BatchSettlement.ChannelConfig onChain = onChain(config);
    String data = encoder.deposit(onChain, payload.deposit().amount(), options.collector(),
        collectorData(auth)).encodeFunctionCall();

    BigInteger gas;
    try {
      gas = sender.simulate(chain.contract(), data);
    } catch (ChainRpcException e) {
      throw new SettlementTransactionException(BatchSettlementError.DEPOSIT_SIMULATION_FAILED,
          "the deposit into channel " + channelId + " cannot be checked: the chain RPC is unavailable ("
              + e.getMessage() + "); nothing was sent, retry later", null, null);
    } catch (TransactionSender.Reverted e) {
      throw new SettlementTransactionException(BatchSettlementError.DEPOSIT_SIMULATION_FAILED,
          "the deposit into channel " + channelId + " would revert (" + e.reason() + "); nothing was sent. "
              + hint(e.reason()), e.reason(), null);
    }
    String[] broadcast = {null};
    ReplacingWait.Outcome waited;
    try {
      String sent = sender.send(chain.contract(), data, gas, new TransactionSender.Purpose(
          TransactionSender.Kind.DEPOSIT, "the deposit into channel " + channelId), hash -> broadcast[0] = hash);
      waited = wait.await(sent, options.confirmations(), options.receiptTimeout());
    } catch (ChainRpcException e) {
      if (broadcast[0] == null) {
        throw new SettlementTransactionException(BatchSettlementError.DEPOSIT_TRANSACTION_FAILED,
            "the deposit into channel " + channelId + " was not sent: the chain RPC is unavailable ("
                + e.getMessage() + "); retry later", null, null);
      }
      waited = wait.unconfirmed(broadcast[0]);
    } catch (io.infergate.host.payments.ledger.LedgerException e) {
      // Thrown before the broadcast (the record of what the key sends, or its lock across replicas, failed).
      throw new SettlementTransactionException(BatchSettlementError.DEPOSIT_TRANSACTION_FAILED,
          "the deposit into channel " + channelId + " was not sent: the node could not record it in its ledger ("
              + e.getMessage() + "); retry later", null, null);
    }
    if (waited.receipt().isEmpty()) {
      throw new SettlementTransactionException(BatchSettlementError.WAIT_FOR_RECEIPT_FAILED,
          "deposit transaction " + waited.candidatesText() + " was not confirmed within " + options.receiptTimeout()
              + "; " + (waited.candidates().size() == 1 ? "it" : "any one of them (they share a nonce)")
              + " may still land: retry the same deposit payload later (it cannot be applied twice)", null,
          broadcast[0]);
    }
    TransactionReceipt receipt = waited.receipt().get();
    String tx = waited.hash();
    if (!receipt.isStatusOK()) {
      String reason = sender.revertReasonOf(receipt, chain.contract(), data);
      throw new SettlementTransactionException(BatchSettlementError.DEPOSIT_TRANSACTION_FAILED,
          "deposit transaction " + tx + " reverted: " + reason + ". " + hint(reason), reason, tx);
    }
    long block = receipt.getBlockNumber().longValueExact();
    SettlementChain.OnChainChannel state = chain.channels(List.of(channelId), block).get(channelId);
    ledger.upsertChannel(channelId, ChainWatcher.ledgerConfig(onChain));
    ledger.applyChainState(channelId, state.balance(), state.totalClaimed(), state.withdrawInitiatedAt(),
        state.refundNonce(), block);
    return new DepositResult(channelId, tx, block, state.balance(), state.totalClaimed(), state.withdrawInitiatedAt(),
        state.refundNonce());
  }

  private Deposit.Erc3009Authorization checked(Deposit deposit) {
    Deposit.Erc3009Authorization auth = deposit.erc3009Authorization();
    if (auth == null) {
      throw SettlementTransactionException.of(BatchSettlementError.ERC3009_AUTHORIZATION_REQUIRED,
          "this node relays ERC-3009 deposits only; sign a ReceiveWithAuthorization to the deposit collector "
              + options.collector() + " instead of a Permit2 authorization");
    }
    BigInteger amount = deposit.amount();
    if (amount.signum() <= 0 || amount.bitLength() > 128) {
      throw SettlementTransactionException.of(BatchSettlementError.DEPOSIT_PAYLOAD,
          "deposit.amount must be a positive uint128, got " + amount);
    }
    BigInteger now = BigInteger.valueOf(clock.instant().getEpochSecond());
    if (now.compareTo(auth.validAfter()) <= 0) {
      throw SettlementTransactionException.of(BatchSettlementError.PAYLOAD_AUTHORIZATION_VALID_AFTER,
          "the authorization is valid only after " + auth.validAfter() + " (now " + now + "); sign it with an"
              + " earlier validAfter (0 is usual)");
    }
    if (now.compareTo(auth.validBefore()) >= 0) {
      throw SettlementTransactionException.of(BatchSettlementError.PAYLOAD_AUTHORIZATION_VALID_BEFORE,
          "the authorization expired at " + auth.validBefore() + " (now " + now + "); sign a new one");
    }
    byte[] sig = signature(auth.signature());
    if (sig.length != 65) {
      throw SettlementTransactionException.of(BatchSettlementError.RECEIVE_AUTHORIZATION_SIGNATURE,
          "the ERC-3009 signature must be 65 bytes (r, s, v), got " + sig.length);
    }
    return auth;
  }

  private static byte[] signature(String hex) {
    try {
      return Numeric.hexStringToByteArray(hex);
    } catch (RuntimeException e) {
      throw SettlementTransactionException.of(BatchSettlementError.RECEIVE_AUTHORIZATION_SIGNATURE,
          "the ERC-3009 signature is not hex: " + e.getMessage());
    }
  }

  /**
   * What {@code Erc3009DepositCollector.collect} decodes: {@code abi.encode(uint256 validAfter,
   * uint256 validBefore, uint256 salt, bytes signature)}; the 32-byte salt read as a uint256 is its own bytes.
   */
  @SuppressWarnings("rawtypes") // web3j's encoder takes a raw List<Type>
  static byte[] collectorData(Deposit.Erc3009Authorization auth) {
    List<Type> words = List.of(new Uint256(auth.validAfter()), new Uint256(auth.validBefore()),
        new Uint256(new BigInteger(1, auth.salt().toBytes())), new DynamicBytes(signature(auth.signature())));
    return Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(words));
  }

  static BatchSettlement.ChannelConfig onChain(ChannelConfig c) {
    return new BatchSettlement.ChannelConfig(c.payer().toChecksumString(), c.payerAuthorizer().toChecksumString(),
        c.receiver().toChecksumString(), c.receiverAuthorizer().toChecksumString(), c.token().toChecksumString(),
        BigInteger.valueOf(c.withdrawDelay()), c.salt().toBytes());
  }

  private static String hint(String reason) {
    if (reason == null) {
      return "";
    }
    return switch (reason) {
      case "AuthorizationAlreadyUsed" -> "This authorization was already used; sign one with a new salt.";
      case "InvalidSignature", "InvalidAuthorizationSignature", "InvalidSigner" ->
          "The ERC-3009 signature does not match the payer under the token's EIP-712 domain.";
      case "InsufficientBalance" -> "The payer holds fewer tokens than the deposit amount.";
      case "AuthorizationExpired", "AuthorizationNotYetValid" -> "The authorization is outside its validity window.";
      case "WithdrawDelayOutOfRange" -> "withdrawDelay must be 900 s to 30 days.";
      default -> "Check the payer's token balance and the authorization's fields.";
    };
  }
}
