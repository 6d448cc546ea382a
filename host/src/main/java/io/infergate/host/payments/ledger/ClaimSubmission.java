package io.infergate.host.payments.ledger;

import java.math.BigInteger;

/** One entry of a claim transaction: the channel and the {@code totalClaimed} it claims up to. */
public record ClaimSubmission(String channelId, BigInteger upTo) {
  public ClaimSubmission {
    channelId = LedgerValues.bytes32("channelId", channelId);
    LedgerValues.uint128("upTo", upTo);
  }
}
