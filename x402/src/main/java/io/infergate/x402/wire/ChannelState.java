package io.infergate.x402.wire;

import io.infergate.x402.crypto.Bytes32;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The server's snapshot of a channel, sent in {@code PAYMENT-RESPONSE} ({@code extra.channelState}) and in a
 * corrective 402 ({@code accepts[].extra.channelState}).
 *
 * @param channelId the channel
 * @param balance on-chain balance (uint128)
 * @param totalClaimed on-chain claimed total (uint128)
 * @param withdrawRequestedAt unix seconds a timed withdrawal started, 0 when none
 * @param refundNonce the next {@code refundWithSignature} nonce
 * @param chargedCumulativeAmount what the server has charged in total; null when not reported
 */
public record ChannelState(Bytes32 channelId, BigInteger balance, BigInteger totalClaimed, long withdrawRequestedAt,
    BigInteger refundNonce, BigInteger chargedCumulativeAmount) {
  public ChannelState {
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(balance, "balance");
    Objects.requireNonNull(totalClaimed, "totalClaimed");
    Objects.requireNonNull(refundNonce, "refundNonce");
  }
}
