package io.infergate.host.payments.verify;

import io.infergate.x402.eip712.ChannelConfig;
import java.math.BigInteger;
import java.util.Objects;

/**
 * What the server knows about one channel when a payment arrives: its ledger row and the mirrored chain state.
 *
 * @param config the channel's configuration (the payload's; the ledger stores it on first sight)
 * @param chargedCumulativeAmount what the server has charged so far in total (restart baseline: on-chain
 *     {@code totalClaimed})
 * @param signedMaxClaimable the ceiling of the latest accepted voucher, null when none is held
 * @param signature that voucher's signature as received, null when none is held
 * @param balance on-chain balance (0 for a channel that does not exist yet)
 * @param totalClaimed on-chain claimed total
 * @param withdrawRequestedAt unix seconds a timed withdrawal started, 0 when none
 * @param refundNonce the next refund nonce on chain
 */
public record ChannelView(ChannelConfig config, BigInteger chargedCumulativeAmount, BigInteger signedMaxClaimable,
    String signature, BigInteger balance, BigInteger totalClaimed, long withdrawRequestedAt, BigInteger refundNonce) {
  public ChannelView {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(chargedCumulativeAmount, "chargedCumulativeAmount");
    Objects.requireNonNull(balance, "balance");
    Objects.requireNonNull(totalClaimed, "totalClaimed");
    Objects.requireNonNull(refundNonce, "refundNonce");
  }

  /** A channel the server has never seen and the chain does not hold: everything zero. */
  public static ChannelView unknown(ChannelConfig config) {
    return new ChannelView(config, BigInteger.ZERO, null, null, BigInteger.ZERO, BigInteger.ZERO, 0, BigInteger.ZERO);
  }

  /** A channel known only from the chain (server state lost): the baseline is {@code totalClaimed}. */
  public static ChannelView fromChain(ChannelConfig config, BigInteger balance, BigInteger totalClaimed,
      long withdrawRequestedAt, BigInteger refundNonce) {
    return new ChannelView(config, totalClaimed, null, null, balance, totalClaimed, withdrawRequestedAt, refundNonce);
  }
}
