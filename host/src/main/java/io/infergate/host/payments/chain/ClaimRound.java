package io.infergate.host.payments.chain;

import java.math.BigInteger;
import java.util.List;

/**
 * What one {@link ClaimScheduler#runOnce()} did.
 *
 * @param confirmed claim transactions confirmed in this round (including ones found from earlier rounds); for a
 *     replaced claim, the transaction that landed
 * @param failed claim transactions that reverted or were dropped; their channels are claimable again
 * @param pending claims still waiting for a receipt (checked again next round), by their original hash
 * @param channelsClaimed channels covered by the confirmed transactions
 * @param deferred non-urgent channels left for later because gas was above the cap
 * @param claimGasUsed gas used by the confirmed claim transactions of this round
 * @param settlements settle transactions confirmed
 * @param stuck claims in flight whose newest transaction had waited {@code replaceAfter} unmined
 * @param replaced replacement transactions broadcast for stuck claims (same nonce, higher fee)
 * @param unblocked replacement transactions broadcast for a stuck deposit, refund or settle that held the
 *     facilitator key's lowest unmined nonce (every later transaction of the key, claims included, waits for it)
 */
public record ClaimRound(List<String> confirmed, List<String> failed, List<String> pending, int channelsClaimed,
    int deferred, BigInteger claimGasUsed, List<String> settlements, int stuck, List<String> replaced,
    List<String> unblocked) {}
