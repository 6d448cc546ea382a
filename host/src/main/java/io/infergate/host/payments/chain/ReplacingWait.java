package io.infergate.host.payments.chain;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Waits for a deposit, refund or settle the node sent, replacing it (same nonce, fees bumped) each time its newest
 * transaction has waited {@code replaceAfter} unmined. The candidates share a nonce, so at most one is mined; the
 * wait ends with that one's receipt. The candidates are re-read from the sender (and the ledger's record of the key)
 * at every poll, so a replacement the claim round made meanwhile ({@link NonceQueueUnblocker}), in this process or
 * in the replica leading the claims, is waited for too.
 */
final class ReplacingWait {
  private final TransactionSender sender;
  private final StuckTransactionReplacer replacer;
  private final Optional<BigInteger> maxFeeCap;

  ReplacingWait(TransactionSender sender, StuckTransactionReplacer replacer, Optional<BigInteger> maxFeeCap) {
    this.sender = sender;
    this.replacer = replacer;
    this.maxFeeCap = maxFeeCap;
  }

  /**
   * The outcome of a wait: the mined candidate's receipt (when mined and confirmed in time) and every hash that
   * carried the transaction, the original first.
   */
  record Outcome(Optional<TransactionReceipt> receipt, List<String> candidates) {
    /** The hash that was mined, or the original's when none was. */
    String hash() {
      return receipt.map(TransactionReceipt::getTransactionHash).orElse(candidates.getFirst());
    }

    /** For errors: "0xa" or "0xa or its replacements 0xb, 0xc" (any of which may still land). */
    String candidatesText() {
      return candidates.size() == 1 ? candidates.getFirst() : candidates.getFirst() + " or its replacement"
          + (candidates.size() > 2 ? "s " : " ") + String.join(", ", candidates.subList(1, candidates.size()));
    }
  }

  /**
   * Waits until one of {@code hash}'s candidates is mined and buried under {@code confirmations} blocks, or
   * {@code timeout} passes (then the receipt is empty and every candidate may still land).
   */
  Outcome await(String hash, int confirmations, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<BigInteger> nonce = sender.nonceOf(hash);
    List<String> candidates = new ArrayList<>(List.of(hash));
    while (true) {
      nonce.flatMap(sender::recordedWith).ifPresent(at -> at.hashes().stream()
          .filter(h -> !candidates.contains(h)).forEach(candidates::add));
      Optional<TransactionReceipt> mined = minedCandidate(candidates);
      if (mined.isPresent() && sender.buried(mined.get(), confirmations)) {
        return new Outcome(mined, List.copyOf(candidates));
      }
      if (mined.isEmpty() && nonce.isPresent()) {
        replacer.replaceIfStuck(nonce.get(), maxFeeCap, "still waiting for it").ifPresent(candidates::add);
      }
      if (System.nanoTime() > deadline) {
        return new Outcome(Optional.empty(), List.copyOf(candidates));
      }
      try {
        Thread.sleep(sender.pollInterval().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Outcome(Optional.empty(), List.copyOf(candidates));
      }
    }
  }

  /** Every hash known to carry {@code hash}'s transaction now, unmined: for an error after the wait broke off. */
  Outcome unconfirmed(String hash) {
    List<String> candidates = new ArrayList<>(List.of(hash));
    sender.nonceOf(hash).flatMap(sender::sentWith).ifPresent(at -> at.hashes().stream()
        .filter(h -> !candidates.contains(h)).forEach(candidates::add));
    return new Outcome(Optional.empty(), List.copyOf(candidates));
  }

  private Optional<TransactionReceipt> minedCandidate(List<String> candidates) {
    for (String tx : candidates.reversed()) {
      Optional<TransactionReceipt> r = sender.receipt(tx);
      if (r.isPresent()) {
        return r;
      }
    }
    return Optional.empty();
  }
}
