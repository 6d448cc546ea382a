package io.infergate.client.channel;

import io.infergate.client.NodeMisbehavedException;
import io.infergate.client.NodeMisbehavedException.Violation;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.wire.ChannelState;
import io.infergate.x402.wire.SettlementResponse;
import io.infergate.x402.wire.VoucherState;
import java.math.BigInteger;

/**
 * The rules a node's answers must keep before the client believes them. Pure functions: the caller quarantines
 * the channel when one throws.
 *
 * <pre>{@code
 * ChannelState s = ResponseCheck.settlement(channelId, charged, voucherMax, offer.amount(), null, response);
 * }</pre>
 */
public final class ResponseCheck {
  private ResponseCheck() {}

  /**
   * Checks the {@code PAYMENT-RESPONSE} of a paid call and returns the channel state it reports.
   *
   * @param channelId the channel paid from
   * @param charged the cumulative charge acknowledged before this call
   * @param voucherMax the ceiling of the voucher sent with it
   * @param offerAmount the offer's maximum price for one call
   * @param depositedAtLeast for a call that carried a deposit, the balance the channel must at least have now;
   *     null otherwise
   * @param response the decoded header, null when it was missing
   * @throws NodeMisbehavedException naming the broken rule
   */
  public static ChannelState settlement(Bytes32 channelId, BigInteger charged, BigInteger voucherMax,
      BigInteger offerAmount, BigInteger depositedAtLeast, SettlementResponse response) {
    if (response == null || !response.success() || response.extra() == null
        || response.extra().channelState() == null) {
      throw new NodeMisbehavedException(channelId, Violation.MISSING_SETTLEMENT, "the node answered a paid call on channel "
          + channelId + " without a successful PAYMENT-RESPONSE carrying the channel state"
          + (response != null && response.errorReason() != null ? " (" + response.errorReason() + ")" : ""));
    }
    BigInteger amount = response.extra().chargedAmount();
    if (amount == null || amount.signum() < 0 || amount.compareTo(offerAmount) > 0) {
      throw new NodeMisbehavedException(channelId, Violation.CHARGE_ABOVE_OFFER, "the node charged " + amount
          + " for a call offered at most " + offerAmount + " on channel " + channelId);
    }
    ChannelState s = response.extra().channelState();
    if (!channelId.equals(s.channelId())) {
      throw new NodeMisbehavedException(channelId, Violation.CHANNEL_MISMATCH, "the PAYMENT-RESPONSE reports channel "
          + s.channelId() + " but the call was paid from " + channelId);
    }
    BigInteger expected = charged.add(amount);
    if (s.chargedCumulativeAmount() == null || s.chargedCumulativeAmount().compareTo(expected) != 0) {
      throw new NodeMisbehavedException(channelId, Violation.CUMULATIVE_MISMATCH, "the node reports a cumulative charge of "
          + s.chargedCumulativeAmount() + " on channel " + channelId + ", but " + charged + " acknowledged before plus "
          + amount + " charged now is " + expected);
    }
    if (expected.compareTo(voucherMax) > 0) {
      throw new NodeMisbehavedException(channelId, Violation.CHARGE_ABOVE_VOUCHER, "the node charged up to " + expected
          + " on channel " + channelId + " but the voucher sent allows only " + voucherMax);
    }
    if (s.balance().compareTo(expected) < 0
        || (depositedAtLeast != null && s.balance().compareTo(depositedAtLeast) < 0)) {
      throw new NodeMisbehavedException(channelId, Violation.BALANCE_BELOW_CHARGED, "the node reports a balance of "
          + s.balance() + " on channel " + channelId + ", below the charged " + expected
          + (depositedAtLeast != null ? " or the " + depositedAtLeast + " there must be after the deposit" : ""));
    }
    return s;
  }

  /**
   * Checks a corrective 402's claim of where the channel stands: it must be about our channel, and any charge
   * above zero must be covered by a voucher signed by our key ({@code voucherState}). Never trust an unsigned
   * claim of what we owe.
   *
   * @return the server's cumulative charge, safe to resynchronise to
   * @throws NodeMisbehavedException when the claim is not backed by our signature
   */
  public static BigInteger correction(Bytes32 channelId, ChannelState state, VoucherState voucher, VoucherSigner signer) {
    if (state == null || !channelId.equals(state.channelId()) || state.chargedCumulativeAmount() == null) {
      throw new NodeMisbehavedException(channelId, Violation.CHANNEL_MISMATCH, "the node's corrective 402 for channel "
          + channelId + " does not carry that channel's state with a chargedCumulativeAmount");
    }
    BigInteger claimed = state.chargedCumulativeAmount();
    if (claimed.signum() == 0) {
      return claimed;
    }
    if (voucher == null || !signer.signedByUs(channelId, voucher.signedMaxClaimable(), voucher.signature())) {
      throw new NodeMisbehavedException(channelId, Violation.UNSIGNED_CLAIM, "the node claims " + claimed
          + " charged on channel " + channelId + " without a voucher signed by our key " + signer.address()
          + " to back it");
    }
    if (claimed.compareTo(voucher.signedMaxClaimable()) > 0) {
      throw new NodeMisbehavedException(channelId, Violation.CHARGE_ABOVE_VOUCHER, "the node claims " + claimed
          + " charged on channel " + channelId + ", above the " + voucher.signedMaxClaimable() + " we signed");
    }
    return claimed;
  }
}
