package io.infergate.host.receipts.anchor;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When and how the {@link ReceiptAnchorer} commits roots.
 *
 * @param batchSize receipts per Merkle batch: a batch is cut as soon as this many receipts wait
 * @param interval a receipt waits at most this long before a (smaller) batch is cut for it
 * @param tickInterval how often the anchorer looks at the journal and the chain
 * @param backoffBase first retry delay after a failed commit; doubles per failure of the same batch
 * @param backoffMax longest retry delay
 * @param confirmations blocks on top of a commit before it counts as committed
 * @param receiptTimeout how long one tick waits for a commit to be mined (later ticks keep checking)
 * @param replaceAfter a commit still unmined this long after it was sent (or first seen pending after a restart) is
 *     replaced: same nonce and call, fees raised by at least 12.5% ({@code payments.claims.replace-after-ms})
 * @param gasPriceCap a replacement never offers a fee cap above this (wei); empty: no cap
 */
public record AnchorOptions(int batchSize, Duration interval, Duration tickInterval, Duration backoffBase,
    Duration backoffMax, int confirmations, Duration receiptTimeout, Duration replaceAfter,
    Optional<BigInteger> gasPriceCap) {
  public static final int DEFAULT_BATCH_SIZE = 1024;
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofSeconds(2);
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMinutes(5);
  public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofMinutes(2);
  public static final Duration DEFAULT_REPLACE_AFTER = Duration.ofMinutes(3);

  public AnchorOptions {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(tickInterval, "tickInterval");
    Objects.requireNonNull(backoffBase, "backoffBase");
    Objects.requireNonNull(backoffMax, "backoffMax");
    Objects.requireNonNull(receiptTimeout, "receiptTimeout");
    Objects.requireNonNull(replaceAfter, "replaceAfter");
    Objects.requireNonNull(gasPriceCap, "gasPriceCap");
    if (replaceAfter.isNegative() || replaceAfter.isZero()) {
      throw new IllegalArgumentException("payments.claims.replace-after-ms must be positive, got "
          + replaceAfter.toMillis());
    }
    if (batchSize < 1 || batchSize > 1 << 20) {
      throw new IllegalArgumentException("receipts.anchor.batch-size must be between 1 and 1048576, got " + batchSize);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("receipts.anchor.interval-ms must be positive, got " + interval.toMillis());
    }
    if (tickInterval.isNegative() || tickInterval.isZero()) {
      throw new IllegalArgumentException("receipts.anchor.tick-ms must be positive, got " + tickInterval.toMillis());
    }
    if (confirmations < 0) {
      throw new IllegalArgumentException("confirmations must be >= 0, got " + confirmations);
    }
  }

  public static AnchorOptions defaults() {
    return new AnchorOptions(DEFAULT_BATCH_SIZE, DEFAULT_INTERVAL, DEFAULT_TICK_INTERVAL, DEFAULT_BACKOFF_BASE,
        DEFAULT_BACKOFF_MAX, 0, DEFAULT_RECEIPT_TIMEOUT, DEFAULT_REPLACE_AFTER, Optional.empty());
  }

  public AnchorOptions withBatchSize(int v) {
    return new AnchorOptions(v, interval, tickInterval, backoffBase, backoffMax, confirmations, receiptTimeout,
        replaceAfter, gasPriceCap);
  }

  public AnchorOptions withInterval(Duration v) {
    return new AnchorOptions(batchSize, v, tickInterval, backoffBase, backoffMax, confirmations, receiptTimeout,
        replaceAfter, gasPriceCap);
  }

  public AnchorOptions withTickInterval(Duration v) {
    return new AnchorOptions(batchSize, interval, v, backoffBase, backoffMax, confirmations, receiptTimeout,
        replaceAfter, gasPriceCap);
  }

  public AnchorOptions withBackoff(Duration base, Duration max) {
    return new AnchorOptions(batchSize, interval, tickInterval, base, max, confirmations, receiptTimeout,
        replaceAfter, gasPriceCap);
  }

  public AnchorOptions withConfirmations(int v) {
    return new AnchorOptions(batchSize, interval, tickInterval, backoffBase, backoffMax, v, receiptTimeout,
        replaceAfter, gasPriceCap);
  }

  public AnchorOptions withReceiptTimeout(Duration v) {
    return new AnchorOptions(batchSize, interval, tickInterval, backoffBase, backoffMax, confirmations, v,
        replaceAfter, gasPriceCap);
  }

  public AnchorOptions withReplaceAfter(Duration v) {
    return new AnchorOptions(batchSize, interval, tickInterval, backoffBase, backoffMax, confirmations, receiptTimeout,
        v, gasPriceCap);
  }

  public AnchorOptions withGasPriceCap(Optional<BigInteger> v) {
    return new AnchorOptions(batchSize, interval, tickInterval, backoffBase, backoffMax, confirmations, receiptTimeout,
        replaceAfter, v);
  }

  /** The delay before retry number {@code failures} (1 = after the first failure). */
  Duration backoff(int failures) {
    Duration d = backoffBase.multipliedBy(1L << Math.min(20, Math.max(0, failures - 1)));
    return d.compareTo(backoffMax) > 0 ? backoffMax : d;
  }
}
