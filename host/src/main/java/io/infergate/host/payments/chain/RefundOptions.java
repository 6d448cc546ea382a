package io.infergate.host.payments.chain;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the node submits cooperative refunds.
 *
 * @param confirmations blocks on top of the refund before it counts (0 on a dev chain)
 * @param receiptTimeout how long to wait for the refund to be mined before answering
 *     {@code wait_for_receipt_failed}
 * @param replaceAfter a refund transaction still unmined this long (while the payer waits, or later in the claim
 *     round) is replaced: same nonce, fees raised by at least 12.5% (the claims' setting)
 * @param gasPriceCap a replacement never offers a fee cap above this (wei); empty: no cap
 */
public record RefundOptions(int confirmations, Duration receiptTimeout, Duration replaceAfter,
    Optional<BigInteger> gasPriceCap) {
  /** Blocks on top of a refund before it counts. */
  public static final int DEFAULT_CONFIRMATIONS = 0;
  /** How long a consumer's refund request waits for the transaction. */
  public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofSeconds(60);

  public RefundOptions {
    if (confirmations < 0) {
      throw new IllegalArgumentException("confirmations must not be negative, got " + confirmations);
    }
    Objects.requireNonNull(receiptTimeout, "receiptTimeout");
    Objects.requireNonNull(replaceAfter, "replaceAfter");
    Objects.requireNonNull(gasPriceCap, "gasPriceCap");
    if (replaceAfter.isNegative() || replaceAfter.isZero()) {
      throw new IllegalArgumentException("payments.claims.replace-after-ms must be positive, got " + replaceAfter);
    }
  }

  public static RefundOptions defaults() {
    return new RefundOptions(DEFAULT_CONFIRMATIONS, DEFAULT_RECEIPT_TIMEOUT, ClaimSchedulerOptions.DEFAULT_REPLACE_AFTER,
        Optional.empty());
  }

  public RefundOptions withConfirmations(int n) {
    return new RefundOptions(n, receiptTimeout, replaceAfter, gasPriceCap);
  }

  public RefundOptions withReceiptTimeout(Duration v) {
    return new RefundOptions(confirmations, v, replaceAfter, gasPriceCap);
  }

  public RefundOptions withReplaceAfter(Duration v) {
    return new RefundOptions(confirmations, receiptTimeout, v, gasPriceCap);
  }

  public RefundOptions withGasPriceCap(BigInteger weiOrNull) {
    return new RefundOptions(confirmations, receiptTimeout, replaceAfter, Optional.ofNullable(weiOrNull));
  }
}
