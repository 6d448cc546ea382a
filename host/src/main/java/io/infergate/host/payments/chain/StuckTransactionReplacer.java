package io.infergate.host.payments.chain;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the node's non-claim transactions (deposits, refunds, settles) that sit unmined, by nonce: the one
 * policy shared by a submitter waiting for its own transaction ({@link ReplacingWait}) and the claim round
 * unblocking the key's queue ({@link NonceQueueUnblocker}), so both log and count a replacement the same way.
 * Claims are never replaced here: their hashes must be recorded in the ledger first ({@link ClaimReplacer});
 * nor are other transactions whose senders wait for their own hash only (see {@link TransactionSender.Kind}).
 */
final class StuckTransactionReplacer {
  private static final Logger LOG = LoggerFactory.getLogger(StuckTransactionReplacer.class);

  private final TransactionSender sender;
  private final Duration replaceAfter;
  private final ChainMetrics metrics;

  StuckTransactionReplacer(TransactionSender sender, Duration replaceAfter, ChainMetrics metrics) {
    this.sender = sender;
    this.replaceAfter = replaceAfter;
    this.metrics = metrics;
  }

  /**
   * The wait before replacing a transaction somebody is waiting for with {@code timeout}: the configured
   * replace-after, but at most a third of the wait, so that a payer's deposit or refund is bumped (twice, if need
   * be) before the payer gives up, even with the claims' default of minutes.
   */
  static Duration withinWait(Duration replaceAfter, Duration timeout) {
    Duration third = timeout.dividedBy(3);
    return third.isPositive() && third.compareTo(replaceAfter) < 0 ? third : replaceAfter;
  }

  Duration replaceAfter() {
    return replaceAfter;
  }

  /**
   * Replaces the newest transaction at {@code nonce} if it has waited {@code replaceAfter} unmined and is a
   * deposit, refund or settle ({@link TransactionSender.Kind#replaceableByNonce()}); returns the replacement's hash.
   * Empty when nothing was sent: not due yet, another kind, no longer pending,
   * {@code maxFeeCap} leaves no room for a valid bump, or the node refused (the last two are logged; either way
   * the transaction's wait starts again). {@code why} ends the log line (what the replacement is for).
   */
  Optional<String> replaceIfStuck(BigInteger nonce, Optional<BigInteger> maxFeeCap, String why) {
    if (!sender.sentWith(nonce).map(at -> at.purpose().kind().replaceableByNonce()).orElse(false)) {
      return Optional.empty();
    }
    TransactionSender.Bump bump;
    try {
      bump = sender.replaceIfWaited(nonce, replaceAfter, maxFeeCap);
    } catch (RuntimeException e) {
      String what = sender.sentWith(nonce).map(at -> at.purpose().description() + " (nonce " + nonce + ", "
          + at.hashes() + ")").orElse("nonce " + nonce);
      LOG.warn("replacing {}, unmined for {}, failed: {}; retrying after {}", what, replaceAfter, e.getMessage(),
          replaceAfter);
      return Optional.empty();
    }
    return switch (bump.status()) {
      case NOT_DUE, NOT_PENDING -> Optional.empty();
      case CAPPED -> {
        TransactionSender.Pending stuck = bump.stuck().orElseThrow();
        LOG.warn("{} is stuck in {} (nonce {}, fee cap {} wei) but a {}% higher fee would exceed the gas price cap {}"
            + " wei; it waits ({})", bump.at().orElseThrow().purpose().description(), stuck.hash(), nonce,
            stuck.fees().maxFeePerGas(), FeeBump.MIN_BUMP_PERCENT, maxFeeCap.orElseThrow(), why);
        yield Optional.empty();
      }
      case REPLACED -> {
        TransactionSender.Pending stuck = bump.stuck().orElseThrow();
        TransactionSender.Replacement r = bump.replacement().orElseThrow();
        TransactionSender.Purpose purpose = bump.at().orElseThrow().purpose();
        metrics.transactionReplaced(purpose.kind());
        LOG.warn("{} was unmined for {}: replaced {} by {} (nonce {}, fee cap {} -> {} wei, tip {} -> {} wei); {}",
            purpose.description(), replaceAfter, stuck.hash(), r.hash(), nonce, stuck.fees().maxFeePerGas(),
            r.fees().maxFeePerGas(), stuck.fees().maxPriorityFeePerGas(), r.fees().maxPriorityFeePerGas(), why);
        yield Optional.of(r.hash());
      }
    };
  }
}
