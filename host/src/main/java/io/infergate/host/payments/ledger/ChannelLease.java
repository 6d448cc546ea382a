package io.infergate.host.payments.ledger;

import java.time.Instant;

/**
 * The right to process one channel, held by one owner until released or until it expires.
 *
 * @param fencingToken increases with every acquisition of the channel; a write carrying an older token is
 *     refused, so a holder that stalled past its expiry cannot commit after someone else took over
 * @param expiresAt when others may take the channel over (by the acquiring ledger's clock)
 */
public record ChannelLease(String channelId, String owner, long fencingToken, Instant expiresAt) {}
