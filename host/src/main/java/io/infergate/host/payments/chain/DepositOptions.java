package io.infergate.host.payments.chain;

import java.time.Duration;
import java.util.Objects;

/**
 * How the node relays deposits as facilitator.
 *
 * @param collector the ERC-3009 deposit collector the payer's authorization names as {@code to}
 * @param confirmations blocks on top of the deposit before it counts (0: once mined)
 * @param receiptTimeout how long to wait for the deposit to be mined and confirmed
 */
public record DepositOptions(String collector, int confirmations, Duration receiptTimeout) {
  public static final int DEFAULT_CONFIRMATIONS = 0;
  public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofSeconds(60);

  public DepositOptions {
    Objects.requireNonNull(collector, "payments.chain.deposit.collector (the ERC-3009 deposit collector address)");
    if (confirmations < 0) {
      throw new IllegalArgumentException("payments.chain.deposit.confirmations must be >= 0, got " + confirmations);
    }
    Objects.requireNonNull(receiptTimeout, "receiptTimeout");
  }

  public static DepositOptions defaults(String collector) {
    return new DepositOptions(collector, DEFAULT_CONFIRMATIONS, DEFAULT_RECEIPT_TIMEOUT);
  }

  public DepositOptions withConfirmations(int n) {
    return new DepositOptions(collector, n, receiptTimeout);
  }
}
