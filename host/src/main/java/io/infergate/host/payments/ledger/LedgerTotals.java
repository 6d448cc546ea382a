package io.infergate.host.payments.ledger;

import java.math.BigInteger;

/**
 * Money in the ledger for one token (amounts of different tokens are never added up).
 *
 * @param charged sum of {@code chargedCumulativeAmount}
 * @param unclaimed charged but not yet claimed on chain (at risk if the node loses its state)
 * @param claimed sum of the channels' on-chain {@code totalClaimed}
 * @param settled swept to the receivers ({@code receivers(receiver, token).totalSettled} as mirrored)
 * @param channels how many channels use this token
 */
public record LedgerTotals(
    String token, BigInteger charged, BigInteger unclaimed, BigInteger claimed, BigInteger settled, long channels) {}
