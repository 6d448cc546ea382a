package io.infergate.host.payments.gate;

import io.infergate.host.payments.ledger.ChannelState;
import java.time.Instant;

/**
 * The dead-man rule, as the claim scheduler decides it: whether a voucher may still be accepted on a
 * channel whose payer may have started a timed withdrawal (a voucher the node cannot claim in time is
 * worthless).
 */
@FunctionalInterface
public interface WithdrawalGuard {
  boolean acceptsVouchers(ChannelState channel, Instant now);
}
