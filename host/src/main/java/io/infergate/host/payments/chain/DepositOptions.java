package io.infergate.host.payments.chain;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the node relays deposits as facilitator.
 *
 * @param collector the ERC-3009 deposit collector the payer's authorization names as {@code to}
 * @param confirmations blocks on top of the deposit before it counts (0: once mined)
 * @param receiptTimeout how long to wait for the deposit to be mined and confirmed
 * @param replaceAfter a deposit transaction still unmined this long (while the payer waits, or later in the claim
 *     round) is replaced: same nonce, fees raised by at least 12.5%; the claims' setting, so one stuck transaction
 *     of the key is treated alike whatever it carries
 * @param gasPriceCap a replacement never offers a fee cap above this (wei); empty: no cap
 */
public record DepositOptions(String collector, int confirmations, Duration receiptTimeout, Duration replaceAfter,
    Optional<BigInteger> gasPriceCap) {
  public static final int DEFAULT_CONFIRMATIONS = 0;
  public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofSeconds(60);

  public DepositOptions {
    Objects.requireNonNull(collector, "payments.chain.deposit.collector (the ERC-3009 deposit collector address)");
    if (confirmations < 0) {
      throw new IllegalArgumentException("payments.chain.deposit.confirmations must be >= 0, got " + confirmations);
    }
    Objects.requireNonNull(receiptTimeout, "receiptTimeout");
    Objects.requireNonNull(replaceAfter, "replaceAfter");
    Objects.requireNonNull(gasPriceCap, "gasPriceCap");
    if (replaceAfter.isNegative() || replaceAfter.isZero()) {
      throw new IllegalArgumentException("payments.claims.replace-after-ms must be positive, got " + replaceAfter);
    }
  }

  public static DepositOptions defaults(String collector) {
    return new DepositOptions(collector, DEFAULT_CONFIRMATIONS, DEFAULT_RECEIPT_TIMEOUT,
        ClaimSchedulerOptions.DEFAULT_REPLACE_AFTER, Optional.empty());
  }

  public DepositOptions withConfirmations(int n) {
    return new DepositOptions(collector, n, receiptTimeout, replaceAfter, gasPriceCap);
  }

  public DepositOptions withReceiptTimeout(Duration v) {
    return new DepositOptions(collector, confirmations, v, replaceAfter, gasPriceCap);
  }

  public DepositOptions withReplaceAfter(Duration v) {
    return new DepositOptions(collector, confirmations, receiptTimeout, v, gasPriceCap);
  }

  public DepositOptions withGasPriceCap(BigInteger weiOrNull) {
    return new DepositOptions(collector, confirmations, receiptTimeout, replaceAfter, Optional.ofNullable(weiOrNull));
  }
}
