package io.infergate.x402.eip712;

import io.infergate.x402.crypto.Bytes32;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One row of a {@code ClaimBatch} the receiver authorizer signs for {@code claimWithSignature}.
 *
 * @param channelId the channel
 * @param maxClaimableAmount the voucher's signed ceiling (uint128)
 * @param totalClaimed the channel's new cumulative claimed total (uint128, at most the ceiling)
 */
public record ClaimEntry(Bytes32 channelId, BigInteger maxClaimableAmount, BigInteger totalClaimed) {
  public ClaimEntry {
    Objects.requireNonNull(channelId, "channelId");
    AbiWord.requireUint(maxClaimableAmount, 128, "maxClaimableAmount");
    AbiWord.requireUint(totalClaimed, 128, "totalClaimed");
  }
}
