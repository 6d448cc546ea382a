package io.infergate.host.payments.chain;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When and how the {@link ClaimScheduler} claims.
 *
 * @param tickInterval how often to look for due claims (urgent and over-threshold ones go at the next tick)
 * @param claimInterval how often to claim everything unclaimed, however small
 * @param minUnclaimed a channel whose unclaimed amount reaches this (base units) is claimed at the next tick
 * @param maxChannelsPerTx most channels in one {@code claimWithSignature} transaction
 * @param withdrawalSafetyMargin new vouchers are refused on a channel whose pending withdrawal can be finalized
 *     within this margin, so the last claim always has time to land (dead-man rule)
 * @param urgentWindow a channel whose withdrawal deadline is within this window is claimed at once, whatever the
 *     gas price and amount (default: the contract's longest delay, i.e. as soon as a withdrawal is seen)
 * @param gasPriceCap non-urgent claims wait while {@code eth_gasPrice} is above this (wei), and a replacement of a
 *     claim without urgent channels never offers a fee cap above it; empty: no cap
 * @param backoffBase first retry delay after a failed claim; doubles per failure
 * @param backoffMax longest retry delay (urgent channels never wait longer than {@code backoffBase})
 * @param confirmations blocks on top of a claim before it counts as confirmed
 * @param receiptTimeout how long one round waits for its transactions (later rounds keep checking)
 * @param replaceAfter a claim transaction still unmined this long after it was sent (or, after a restart, first
 *     seen pending) is replaced: same nonce, fees raised by at least 12.5%; the replacement waits as long again
 * @param settle whether to {@code settle(receiver, token)} after claims land
 */
public record ClaimSchedulerOptions(Duration tickInterval, Duration claimInterval, BigInteger minUnclaimed,
    int maxChannelsPerTx, Duration withdrawalSafetyMargin, Duration urgentWindow, Optional<BigInteger> gasPriceCap,
    Duration backoffBase, Duration backoffMax, int confirmations, Duration receiptTimeout, Duration replaceAfter,
    boolean settle) {
  public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_CLAIM_INTERVAL = Duration.ofHours(1);
  public static final BigInteger DEFAULT_MIN_UNCLAIMED = BigInteger.valueOf(1_000_000);
  public static final int DEFAULT_MAX_CHANNELS_PER_TX = 50;
  public static final Duration DEFAULT_WITHDRAWAL_SAFETY_MARGIN = Duration.ofMinutes(5);
  public static final Duration DEFAULT_URGENT_WINDOW = Duration.ofDays(30);
  public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofSeconds(5);
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMinutes(10);
  public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofMinutes(2);
  public static final Duration DEFAULT_REPLACE_AFTER = Duration.ofMinutes(3);

  public ClaimSchedulerOptions {
    Objects.requireNonNull(tickInterval, "tickInterval");
    Objects.requireNonNull(claimInterval, "claimInterval");
    Objects.requireNonNull(minUnclaimed, "minUnclaimed");
    Objects.requireNonNull(withdrawalSafetyMargin, "withdrawalSafetyMargin");
    Objects.requireNonNull(urgentWindow, "urgentWindow");
    Objects.requireNonNull(gasPriceCap, "gasPriceCap");
    Objects.requireNonNull(backoffBase, "backoffBase");
    Objects.requireNonNull(backoffMax, "backoffMax");
    Objects.requireNonNull(receiptTimeout, "receiptTimeout");
    Objects.requireNonNull(replaceAfter, "replaceAfter");
    if (replaceAfter.isNegative() || replaceAfter.isZero()) {
      throw new IllegalArgumentException("payments.claims.replace-after-ms must be positive, got " + replaceAfter);
    }
    if (maxChannelsPerTx < 1) {
      throw new IllegalArgumentException("payments.claims.max-channels-per-tx must be >= 1, got " + maxChannelsPerTx);
    }
    if (minUnclaimed.signum() <= 0) {
      throw new IllegalArgumentException("payments.claims.min-unclaimed must be positive, got " + minUnclaimed);
    }
    if (confirmations < 0) {
      throw new IllegalArgumentException("payments.claims.confirmations must be >= 0, got " + confirmations);
    }
    if (urgentWindow.compareTo(withdrawalSafetyMargin) < 0) {
      throw new IllegalArgumentException("payments.claims.urgent-window (" + urgentWindow + ") must be at least"
          + " withdrawal-safety-margin (" + withdrawalSafetyMargin + "), or a withdrawal could end unclaimed");
    }
  }

  public static ClaimSchedulerOptions defaults() {
    return new ClaimSchedulerOptions(DEFAULT_TICK_INTERVAL, DEFAULT_CLAIM_INTERVAL, DEFAULT_MIN_UNCLAIMED,
        DEFAULT_MAX_CHANNELS_PER_TX, DEFAULT_WITHDRAWAL_SAFETY_MARGIN, DEFAULT_URGENT_WINDOW, Optional.empty(),
        DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_MAX, 0, DEFAULT_RECEIPT_TIMEOUT, DEFAULT_REPLACE_AFTER, true);
  }

  public ClaimSchedulerOptions withMinUnclaimed(BigInteger v) {
    return new ClaimSchedulerOptions(tickInterval, claimInterval, v, maxChannelsPerTx, withdrawalSafetyMargin,
        urgentWindow, gasPriceCap, backoffBase, backoffMax, confirmations, receiptTimeout, replaceAfter, settle);
  }

  public ClaimSchedulerOptions withMaxChannelsPerTx(int v) {
    return new ClaimSchedulerOptions(tickInterval, claimInterval, minUnclaimed, v, withdrawalSafetyMargin,
        urgentWindow, gasPriceCap, backoffBase, backoffMax, confirmations, receiptTimeout, replaceAfter, settle);
  }

  public ClaimSchedulerOptions withGasPriceCap(BigInteger weiOrNull) {
    return new ClaimSchedulerOptions(tickInterval, claimInterval, minUnclaimed, maxChannelsPerTx,
        withdrawalSafetyMargin, urgentWindow, Optional.ofNullable(weiOrNull), backoffBase, backoffMax, confirmations,
        receiptTimeout, replaceAfter, settle);
  }

  public ClaimSchedulerOptions withWithdrawal(Duration safetyMargin, Duration urgent) {
    return new ClaimSchedulerOptions(tickInterval, claimInterval, minUnclaimed, maxChannelsPerTx, safetyMargin,
        urgent, gasPriceCap, backoffBase, backoffMax, confirmations, receiptTimeout, replaceAfter, settle);
  }

  public ClaimSchedulerOptions withReceiptTimeout(Duration v) {
    return new ClaimSchedulerOptions(tickInterval, claimInterval, minUnclaimed, maxChannelsPerTx,
        withdrawalSafetyMargin, urgentWindow, gasPriceCap, backoffBase, backoffMax, confirmations, v, replaceAfter,
        settle);
  }

  public ClaimSchedulerOptions withTickInterval(Duration v) {
    return new ClaimSchedulerOptions(v, claimInterval, minUnclaimed, maxChannelsPerTx, withdrawalSafetyMargin,
        urgentWindow, gasPriceCap, backoffBase, backoffMax, confirmations, receiptTimeout, replaceAfter, settle);
  }

  public ClaimSchedulerOptions withReplaceAfter(Duration v) {
    return new ClaimSchedulerOptions(tickInterval, claimInterval, minUnclaimed, maxChannelsPerTx,
        withdrawalSafetyMargin, urgentWindow, gasPriceCap, backoffBase, backoffMax, confirmations, receiptTimeout, v,
        settle);
  }
}
