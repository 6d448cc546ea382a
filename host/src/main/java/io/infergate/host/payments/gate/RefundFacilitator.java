package io.infergate.host.payments.gate;

import io.infergate.x402.wire.BatchSettlementError;
import io.infergate.x402.wire.SchemePayload.RefundPayload;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The node as facilitator for cooperative refunds: claims what the node charged on the channel, then returns
 * {@code amount} of the unclaimed escrow to the payer ({@code refundWithSignature}), in one transaction, and
 * returns once it is confirmed. The chain side implements it; without one, refunds are refused.
 */
public interface RefundFacilitator {

  /**
   * Submits and confirms the refund.
   *
   * @param payload the verified refund payload; its zero-charge voucher (ceiling = {@code charged}) pays the claim
   * @param charged the node's {@code chargedCumulativeAmount}: claimed first, so the refund cannot take it
   * @param amount what to return to the payer, already checked against the mirrored balance
   * @throws Refused with the x402 code when the chain refuses it or cannot be reached
   */
  Refunded refund(RefundPayload payload, BigInteger charged, BigInteger amount);

  /**
   * A confirmed refund and the channel's on-chain state right after it.
   *
   * @param transaction the refund transaction's hash
   * @param amount what the payer got back (the contract caps a request to the unclaimed escrow)
   * @param blockNumber the block it was mined in; the state is as of that block
   */
  record Refunded(String transaction, BigInteger amount, BigInteger balance, BigInteger totalClaimed,
      long withdrawRequestedAt, BigInteger refundNonce, long blockNumber) {}

  /** The refund was not made; {@link #code()} is the x402 error to answer with. Nothing moved unless it says so. */
  final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final BatchSettlementError code;

    public Refused(BatchSettlementError code, String message) {
      super(message, null, false, false);
      this.code = Objects.requireNonNull(code, "code");
    }

    public BatchSettlementError code() {
      return code;
    }
  }
}
