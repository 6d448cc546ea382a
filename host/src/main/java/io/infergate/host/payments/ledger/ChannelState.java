package io.infergate.host.payments.ledger;

import java.math.BigInteger;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One channel as the ledger holds it. Immutable snapshot; {@link #version()} is the compare-and-set token
 * to pass back to {@link ChannelLedger#recordCharge}.
 *
 * @param chargedCumulativeAmount what this node has charged in total (never more than the voucher)
 * @param voucher the latest accepted voucher; empty until the first charge
 * @param voucherSigner the address vouchers recover to, cached by the gate once checked; empty until then
 * @param version increases by one with every change that matters to voucher acceptance (charges, chain state)
 */
public record ChannelState(
    String channelId,
    ChannelConfig config,
    BigInteger chargedCumulativeAmount,
    Optional<SignedVoucher> voucher,
    Optional<String> voucherSigner,
    ChainState chain,
    ClaimStatus claim,
    long version) {

  /** The voucher's signed maximum, 0 before the first voucher. */
  public BigInteger signedMaxClaimable() {
    return voucher.map(SignedVoucher::maxClaimableAmount).orElse(BigInteger.ZERO);
  }

  /**
   * Charged but not yet claimed on chain. Claims carry {@code totalClaimed = chargedCumulativeAmount}, not
   * the voucher's maximum: the part of the last maximum that was not charged is the consumer's money.
   */
  public BigInteger unclaimed() {
    BigInteger claimed = chain.totalClaimed().max(claim.confirmedUpTo());
    return chargedCumulativeAmount.subtract(claimed).max(BigInteger.ZERO);
  }

  /** Chain time (seconds) at which a pending withdrawal can be finalized, if one is pending. */
  public OptionalLong withdrawDeadline() {
    return chain.withdrawalPending()
        ? OptionalLong.of(chain.withdrawRequestedAt() + config.withdrawDelay())
        : OptionalLong.empty();
  }
}
