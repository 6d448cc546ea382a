package io.infergate.host.payments.chain;

import java.time.Duration;
import java.util.Objects;

/**
 * How the node submits cooperative refunds.
 *
 * @param confirmations blocks on top of the refund before it counts (0 on a dev chain)
 * @param receiptTimeout how long to wait for the refund to be mined before answering
 *     {@code wait_for_receipt_failed}
 */
public record RefundOptions(int confirmations, Duration receiptTimeout) {
  /** Blocks on top of a refund before it counts. */
  public static final int DEFAULT_CONFIRMATIONS = 0;
  /** How long a consumer's refund request waits for the transaction. */
  public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofSeconds(60);

  public RefundOptions {
    if (confirmations < 0) {
      throw new IllegalArgumentException("confirmations must not be negative, got " + confirmations);
    }
    Objects.requireNonNull(receiptTimeout, "receiptTimeout");
  }

  public static RefundOptions defaults() {
    return new RefundOptions(DEFAULT_CONFIRMATIONS, DEFAULT_RECEIPT_TIMEOUT);
  }

  public RefundOptions withConfirmations(int n) {
    return new RefundOptions(n, receiptTimeout);
  }
}
