package io.infergate.host.payments.ledger;

import java.math.BigInteger;

/**
 * The on-chain state of a channel as last mirrored by the chain watcher.
 *
 * @param withdrawRequestedAt chain timestamp (seconds) of the payer's pending {@code initiateWithdraw},
 *     0 when none is pending
 * @param lastEventBlock the block the mirror reflects; -1 before the watcher saw the channel
 */
public record ChainState(
    BigInteger balance,
    BigInteger totalClaimed,
    long withdrawRequestedAt,
    BigInteger refundNonce,
    long lastEventBlock) {

  public static final ChainState NONE = new ChainState(BigInteger.ZERO, BigInteger.ZERO, 0, BigInteger.ZERO, -1);

  public ChainState {
    LedgerValues.uint128("balance", balance);
    LedgerValues.uint128("totalClaimed", totalClaimed);
    LedgerValues.uint256("refundNonce", refundNonce);
    if (withdrawRequestedAt < 0) {
      throw new IllegalArgumentException("withdrawRequestedAt must be >= 0 (0 = none), got " + withdrawRequestedAt);
    }
  }

  public boolean withdrawalPending() {
    return withdrawRequestedAt != 0;
  }
}
