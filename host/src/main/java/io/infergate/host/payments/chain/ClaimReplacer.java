package io.infergate.host.payments.chain;

import io.infergate.host.payments.ledger.ChannelLedger;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design notes.
 *
 * A claim is keyed by the hash it was first submitted with (ledger_channels.claim_tx_hash). When its newest
 * transaction has waited replaceAfter unmined, the chain's own copy of that transaction is signed again with
 * the same nonce, recipient, data and gas limit and higher fees (FeeBump), and the new hash is recorded with
 * ChannelLedger.markClaimReplaced BEFORE it is broadcast. So the ledger always names every transaction that may
 * land; they share a nonce, so at most one does, and ClaimScheduler confirms the claim by whichever has a
 * receipt. A crash after recording and before broadcasting leaves a candidate the chain never heard of, which
 * is harmless while another candidate is known or mined.
 *
 * The wait is measured on the scheduler's clock from when this process sent the newest transaction, or first saw
 * the claim pending after a restart (the wait then starts again: a restart can delay a replacement, never hurry
 * it). A failed broadcast also restarts the wait, so a node that refuses replacements is not hammered.
 *
 * The chain's copy is used rather than one kept here so that a claim left in flight by a previous run can be
 * replaced too; a transaction the node no longer knows cannot be replaced, and is failed as dropped instead.
 */
/** Replaces claim transactions that sit unmined (fee too low) with fee-bumped ones of the same nonce. */
final class ClaimReplacer {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimReplacer.class);

  private final ChannelLedger ledger;
  private final TransactionSender sender;
  private final Duration replaceAfter;
  private final Clock clock;
  private final ChainMetrics metrics;
  private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();

  ClaimReplacer(ChannelLedger ledger, TransactionSender sender, Duration replaceAfter, Clock clock,
      ChainMetrics metrics) {
    this.ledger = ledger;
    this.sender = sender;
    this.replaceAfter = replaceAfter;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The claim keyed {@code claim} was just broadcast: its wait starts now. */
  void sent(String claim) {
    lastSent.put(claim, clock.instant());
  }

  /** The claim was confirmed or failed. */
  void resolved(String claim) {
    lastSent.remove(claim);
  }

  /** Whether the claim's newest transaction has waited long enough to be replaced (starting the wait if unknown). */
  boolean stuck(String claim) {
    Instant since = lastSent.computeIfAbsent(claim, k -> clock.instant());
    return !clock.instant().isBefore(since.plus(replaceAfter));
  }

  /**
   * Replaces the newest of {@code transactions} (the claim's candidates, original first) that the chain still
   * holds unmined; returns the replacement's hash. Empty when nothing was broadcast: no candidate is pending any
   * more (the next round resolves the claim), {@code maxFeeCap} leaves no room for a valid bump, or the node
   * refused the replacement (logged; retried after another wait).
   */
  Optional<String> replace(String claim, List<String> transactions, Optional<BigInteger> maxFeeCap) {
    Optional<TransactionSender.Pending> newest;
    try {
      newest = newestPending(transactions);
    } catch (RuntimeException e) {
      LOG.warn("cannot read claim {}'s transactions {} from the chain to replace them: {}", claim, transactions,
          e.getMessage());
      return Optional.empty();
    }
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    TransactionSender.Pending stuck = newest.get();
    lastSent.put(claim, clock.instant());
    try {
      BigInteger mined = sender.minedCount();
      if (stuck.nonce().compareTo(mined) > 0) {
        LOG.warn("claim {} has nonce {} but the facilitator key's transactions from nonce {} are not mined either;"
            + " the claim cannot land before them ({})", claim, stuck.nonce(), mined, sender.sentWith(mined)
            .map(at -> "nonce " + mined + " is " + at.purpose().description() + ", replaced by this round when it"
                + " waited long enough")
            .orElse("nonce " + mined + " was not sent by this process, so it cannot be replaced from here"));
      }
      Optional<TransactionSender.Replacement> r = sender.replace(stuck, maxFeeCap,
          new TransactionSender.Purpose(TransactionSender.Kind.CLAIM, "claim " + claim),
          hash -> ledger.markClaimReplaced(claim, hash));
      if (r.isEmpty()) {
        LOG.warn("claim {} is stuck in {} (fee cap {} wei) but a 12.5% higher fee would exceed the gas price cap {}"
            + " wei; it waits", claim, stuck.hash(), stuck.fees().maxFeePerGas(), maxFeeCap.orElseThrow());
        return Optional.empty();
      }
      metrics.claimReplaced();
      LOG.info("claim {} was unmined for {}: replaced {} by {} (nonce {}, fee cap {} -> {} wei, tip {} -> {} wei)",
          claim, replaceAfter, stuck.hash(), r.get().hash(), stuck.nonce(), stuck.fees().maxFeePerGas(),
          r.get().fees().maxFeePerGas(), stuck.fees().maxPriorityFeePerGas(), r.get().fees().maxPriorityFeePerGas());
      return Optional.of(r.get().hash());
    } catch (RuntimeException e) {
      LOG.warn("replacing claim {} (stuck in {}) failed: {}; retrying after {}", claim, stuck.hash(), e.getMessage(),
          replaceAfter);
      return Optional.empty();
    }
  }

  private Optional<TransactionSender.Pending> newestPending(List<String> transactions) {
    for (String tx : transactions.reversed()) {
      Optional<TransactionSender.Pending> p = sender.pending(tx);
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }
}
