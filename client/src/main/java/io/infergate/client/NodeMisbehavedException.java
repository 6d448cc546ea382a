package io.infergate.client;

import io.infergate.x402.crypto.Bytes32;

/**
 * The node answered in a way that breaks the payment rules: a {@code PAYMENT-RESPONSE} that charges more than
 * offered or does not add up, or a corrective 402 that claims a charge without our signature behind it. The
 * client stops using the channel (it is quarantined in the store with this message) and signs nothing more on
 * it; the funds left in it are recovered with the timed withdrawal.
 *
 * <pre>{@code
 * catch (NodeMisbehavedException e) {
 *   System.err.println(e.violation() + " on " + e.channelId() + ": " + e.getMessage());
 * }
 * }</pre>
 */
public final class NodeMisbehavedException extends ClientException {
  private static final long serialVersionUID = 1L;

  /** Which rule the node broke. */
  public enum Violation {
    /** A paid call came back without a {@code PAYMENT-RESPONSE}, or with {@code success: false}. */
    MISSING_SETTLEMENT,
    /** {@code chargedAmount} is missing, negative or above the offer's {@code amount}. */
    CHARGE_ABOVE_OFFER,
    /** {@code channelState.chargedCumulativeAmount} is not the previous charge plus {@code chargedAmount}. */
    CUMULATIVE_MISMATCH,
    /** The state is for another channel. */
    CHANNEL_MISMATCH,
    /** The reported balance is below what is charged, or below what was just deposited. */
    BALANCE_BELOW_CHARGED,
    /** A charge above what we signed for. */
    CHARGE_ABOVE_VOUCHER,
    /** A corrective 402 claims a charge that no voucher signed by our key covers. */
    UNSIGNED_CLAIM
  }

  private final transient Bytes32 channelId;
  private final Violation violation;

  public NodeMisbehavedException(Bytes32 channelId, Violation violation, String message) {
    super(message);
    this.channelId = channelId;
    this.violation = violation;
  }

  /** The channel the client stopped using. */
  public Bytes32 channelId() {
    return channelId;
  }

  public Violation violation() {
    return violation;
  }
}
