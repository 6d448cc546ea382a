package io.infergate.host.payments.chain;

import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.host.payments.gate.RefundFacilitator.Refunded;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.ClaimEntry;
import io.infergate.x402.wire.BatchSettlementError;
import io.infergate.x402.wire.SchemePayload.RefundPayload;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

/**
 * The node as facilitator for cooperative refunds. One transaction, {@code multicall([claimWithSignature,
 * refundWithSignature])}, first claims what the node charged (with the payer's zero-charge voucher, whose
 * ceiling is exactly that charge) and then returns the requested part of what is left to the payer. Both
 * are signed by the receiver authorizer; the facilitator key pays gas through the shared
 * {@link TransactionSender}. Being one transaction is the point: the refund can never run without the claim
 * (which would hand the node's earnings back to the payer), and a failed refund claims nothing either.
 *
 * <pre>{@code
 * Refunded r = refunds.submit(payload, charged, amount);   // SettlementTransactionException with an x402 code
 * }</pre>
 *
 * <p>The payload must already be verified by the gate (channel id, offer, voucher signature, zero charge). The
 * amount is checked again against the chain as it is now (balance, totalClaimed, refundNonce are read right
 * before signing), because the mirror may lag: the contract would silently cap a too-large refund, and a
 * refund signed for a stale nonce would revert.
 */
public final class RefundSubmitter {
  private final SettlementChain chain;
  private final ChannelLedger ledger;
  private final TransactionSender sender;
  private final PrivateKey receiverAuthorizer;
  private final RefundOptions options;
  private final BatchSettlement encoder;
  private final ReplacingWait wait;

  private RefundSubmitter(SettlementChain chain, ChannelLedger ledger, TransactionSender sender,
      PrivateKey receiverAuthorizer, RefundOptions options, ChainMetrics metrics) {
    this.chain = chain;
    this.wait = new ReplacingWait(sender, new StuckTransactionReplacer(sender,
        StuckTransactionReplacer.withinWait(options.replaceAfter(), options.receiptTimeout()), metrics),
        options.gasPriceCap());
    this.ledger = ledger;
    this.sender = sender;
    this.receiverAuthorizer = receiverAuthorizer;
    this.options = options;
    this.encoder = BatchSettlement.load(chain.contract(), chain.web3j(),
        new ReadonlyTransactionManager(chain.web3j(), sender.address()),
        new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO));
  }

  /** A submitter signing with {@code receiverAuthorizer} (the channels' receiverAuthorizer), paying gas via {@code sender}. */
  public static RefundSubmitter create(SettlementChain chain, ChannelLedger ledger, TransactionSender sender,
      PrivateKey receiverAuthorizer, RefundOptions options) {
    return create(chain, ledger, sender, receiverAuthorizer, options, ChainMetrics.none());
  }

  /** As above, counting replacements of stuck refunds in {@code metrics}. */
  public static RefundSubmitter create(SettlementChain chain, ChannelLedger ledger, TransactionSender sender,
      PrivateKey receiverAuthorizer, RefundOptions options, ChainMetrics metrics) {
    return new RefundSubmitter(Objects.requireNonNull(chain, "chain"), Objects.requireNonNull(ledger, "ledger"),
        Objects.requireNonNull(sender, "sender"), Objects.requireNonNull(receiverAuthorizer, "receiverAuthorizer"),
        Objects.requireNonNull(options, "options"), Objects.requireNonNull(metrics, "metrics"));
  }

  /**
   * Claims {@code charged} (if not yet claimed) and refunds {@code amount}; returns once confirmed and mirrored.
   *
   * @param charged the node's chargedCumulativeAmount on the channel, equal to the payload voucher's ceiling
   * @param amount the refund, at most the channel's balance minus {@code charged}
   */
  public Refunded submit(RefundPayload payload, BigInteger charged, BigInteger amount) {
    ChannelConfig config = payload.channelConfig();
    String channelId = BatchSettlementTypedData.channelId(chain.domain(), config).toString();
    if (!config.receiverAuthorizer().equals(receiverAuthorizer.address())) {
      throw SettlementTransactionException.of(BatchSettlementError.REFUND_PAYLOAD, "channel " + channelId
          + " names receiverAuthorizer " + config.receiverAuthorizer() + ", this node signs as "
          + receiverAuthorizer.address() + "; it cannot authorize this refund");
    }
    if (payload.voucher().maxClaimableAmount().compareTo(charged) != 0) {
      throw new IllegalArgumentException("the refund voucher's ceiling must equal the charge " + charged);
    }
    SettlementChain.OnChainChannel now = current(channelId);
    BigInteger claimedAfter = now.totalClaimed().max(charged);
    BigInteger available = now.balance().subtract(claimedAfter).max(BigInteger.ZERO);
    if (available.signum() == 0) {
      throw SettlementTransactionException.of(BatchSettlementError.REFUND_NO_BALANCE, "nothing to refund on channel "
          + channelId + ": balance " + now.balance() + " on chain is all claimed or charged (" + claimedAfter + ")");
    }
    if (amount.compareTo(available) > 0) {
      throw SettlementTransactionException.of(BatchSettlementError.REFUND_AMOUNT_INVALID, "a refund of " + amount
          + " exceeds what channel " + channelId + " holds unclaimed on chain (" + available + "); ask for at most "
          + available + ", or omit amount to refund all of it");
    }
    String data = calldata(payload, channelId, charged, now, amount);
    String tx = send(channelId, data);
    return confirmed(channelId, tx, data);
  }

  private SettlementChain.OnChainChannel current(String channelId) {
    try {
      return chain.channels(List.of(channelId), chain.headBlock()).get(channelId);
    } catch (ChainRpcException e) {
      throw SettlementTransactionException.of(BatchSettlementError.REFUND_SIMULATION_FAILED, "the refund of channel "
          + channelId + " cannot be prepared: the chain RPC is unavailable (" + e.getMessage() + "); nothing was"
          + " sent, retry later");
    }
  }

  /** The refund alone, or the claim of the charge and the refund in one multicall. */
  private String calldata(RefundPayload payload, String channelId, BigInteger charged,
      SettlementChain.OnChainChannel now, BigInteger amount) {
    BatchSettlement.ChannelConfig onChain = DepositSubmitter.onChain(payload.channelConfig());
    byte[] refundSignature = receiverAuthorizer.sign(BatchSettlementTypedData.refundDigest(chain.domain(),
        Bytes32.parse(channelId), now.refundNonce(), amount)).toBytes();
    String refund = encoder.refundWithSignature(onChain, amount, now.refundNonce(), refundSignature)
        .encodeFunctionCall();
    if (charged.compareTo(now.totalClaimed()) <= 0) {
      return refund;
    }
    List<BatchSettlement.VoucherClaim> rows = List.of(new BatchSettlement.VoucherClaim(
        new BatchSettlement.Voucher(onChain, charged), Numeric.hexStringToByteArray(payload.voucher().signature()),
        charged));
    byte[] claimSignature = receiverAuthorizer.sign(BatchSettlementTypedData.claimBatchDigest(chain.domain(),
        List.of(new ClaimEntry(Bytes32.parse(channelId), charged, charged)))).toBytes();
    String claim = encoder.claimWithSignature(rows, claimSignature).encodeFunctionCall();
    List<byte[]> calls = new ArrayList<>(Arrays.asList(Numeric.hexStringToByteArray(claim),
        Numeric.hexStringToByteArray(refund)));
    return encoder.multicall(calls).encodeFunctionCall();
  }

  private String send(String channelId, String data) {
    java.math.BigInteger gas;
    try {
      gas = sender.simulate(chain.contract(), data);
    } catch (ChainRpcException e) {
      throw SettlementTransactionException.of(BatchSettlementError.REFUND_SIMULATION_FAILED, "the refund of channel "
          + channelId + " cannot be checked: the chain RPC is unavailable (" + e.getMessage() + "); nothing was"
          + " sent, retry later");
    } catch (TransactionSender.Reverted e) {
      throw new SettlementTransactionException(BatchSettlementError.REFUND_SIMULATION_FAILED, "the refund of channel "
          + channelId + " would revert (" + e.reason() + "); nothing was sent", e.reason(), null);
    }
    String[] broadcast = {null};
    try {
      return sender.send(chain.contract(), data, gas, new TransactionSender.Purpose(TransactionSender.Kind.REFUND,
          "the refund of channel " + channelId), hash -> broadcast[0] = hash);
    } catch (ChainRpcException e) {
      throw new SettlementTransactionException(broadcast[0] == null ? BatchSettlementError.REFUND_TRANSACTION_FAILED
          : BatchSettlementError.WAIT_FOR_RECEIPT_FAILED, "the refund of channel " + channelId
          + (broadcast[0] == null ? " was not sent" : " may have been sent as " + broadcast[0])
          + ": the chain RPC failed (" + e.getMessage() + ")", null, broadcast[0]);
    } catch (io.infergate.host.payments.ledger.LedgerException e) {
      // Thrown before the broadcast (the record of what the key sends, or its lock across replicas, failed).
      throw SettlementTransactionException.of(BatchSettlementError.REFUND_TRANSACTION_FAILED, "the refund of channel "
          + channelId + " was not sent: the node could not record it in its ledger (" + e.getMessage()
          + "); retry later");
    }
  }

  /**
   * Waits for the refund, replacing it while it sits unmined past {@link RefundOptions#replaceAfter()}; the
   * receipt is whichever candidate was mined.
   */
  private Refunded confirmed(String channelId, String sent, String data) {
    ReplacingWait.Outcome waited;
    try {
      waited = wait.await(sent, options.confirmations(), options.receiptTimeout());
    } catch (ChainRpcException e) {
      waited = wait.unconfirmed(sent);
    }
    if (waited.receipt().isEmpty()) {
      throw new SettlementTransactionException(BatchSettlementError.WAIT_FOR_RECEIPT_FAILED, "refund transaction "
          + waited.candidatesText() + " was not confirmed within " + options.receiptTimeout() + "; "
          + (waited.candidates().size() == 1 ? "it" : "one of them (they share a nonce)") + " may still land (its"
          + " signature is bound to the refund nonce, so it cannot land twice): check the channel before asking"
          + " again", null, sent);
    }
    TransactionReceipt receipt = waited.receipt().get();
    String tx = waited.hash();
    if (!receipt.isStatusOK()) {
      String reason = sender.revertReasonOf(receipt, chain.contract(), data);
      throw new SettlementTransactionException(BatchSettlementError.REFUND_TRANSACTION_FAILED, "refund transaction "
          + tx + " reverted: " + reason + "; nothing moved", reason, tx);
    }
    long block = receipt.getBlockNumber().longValueExact();
    BigInteger refunded = BatchSettlement.getRefundedEvents(receipt).stream()
        .filter(e -> Numeric.toHexString(e.channelId).equalsIgnoreCase(channelId))
        .map(e -> e.amount).reduce(BigInteger.ZERO, BigInteger::add);
    SettlementChain.OnChainChannel after = chain.channels(List.of(channelId), block).get(channelId);
    ledger.applyChainState(channelId, after.balance(), after.totalClaimed(), after.withdrawInitiatedAt(),
        after.refundNonce(), block);
    return new Refunded(tx, refunded, after.balance(), after.totalClaimed(), after.withdrawInitiatedAt(),
        after.refundNonce(), block);
  }
}
