package io.infergate.host.payments.chain;

import java.math.BigInteger;

/**
 * A confirmed deposit and the channel's on-chain state right after it (already mirrored into the ledger).
 *
 * @param block the block the deposit was mined in; the state is as of that block
 */
public record DepositResult(String channelId, String txHash, long block, BigInteger balance, BigInteger totalClaimed,
    long withdrawRequestedAt, BigInteger refundNonce) {}
