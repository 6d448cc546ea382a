package io.infergate.host.payments.ledger;

import java.math.BigInteger;
import java.util.Optional;

/**
 * Claim bookkeeping of a channel, kept by the claim scheduler so claims survive restarts.
 *
 * @param submittedUpTo the {@code totalClaimed} sent in the claim transaction in flight (if any)
 * @param txHash the claim transaction in flight; empty when none is
 * @param attempts submissions since the last confirmed claim (drives backoff)
 * @param confirmedUpTo the highest {@code totalClaimed} this node saw confirmed
 * @param lastError why the last claim failed, if it did
 */
public record ClaimStatus(
    BigInteger submittedUpTo,
    Optional<String> txHash,
    int attempts,
    BigInteger confirmedUpTo,
    Optional<String> lastError) {

  public static final ClaimStatus NONE =
      new ClaimStatus(BigInteger.ZERO, Optional.empty(), 0, BigInteger.ZERO, Optional.empty());

  public boolean inFlight() {
    return txHash.isPresent();
  }
}
