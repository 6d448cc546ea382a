package io.infergate.host.payments.gate;

import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.SchemePayload.DepositPayload;
import java.math.BigInteger;

/**
 * The node as facilitator: submits a verified deposit on chain and returns once it is confirmed, with the
 * channel's on-chain state after it. The chain side implements it; without one, deposits are refused.
 */
public interface DepositFacilitator {

  /** Submits and confirms {@code deposit}; throws with the revert reason if the chain refuses it. */
  Deposited deposit(DepositPayload deposit, PaymentRequirements offer);

  /**
   * The channel after a confirmed deposit.
   *
   * @param balance on-chain balance
   * @param totalClaimed on-chain claimed total
   * @param blockNumber the block the deposit was confirmed in
   */
  record Deposited(BigInteger balance, BigInteger totalClaimed, long blockNumber) {}
}
