package io.infergate.host.payments.chain;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one {@link TransactionSender} broadcast, per nonce, for the nonces not yet known to be mined: the purpose,
 * every hash sent with that nonce (the original and its replacements) and when the newest was sent.
 *
 * <p>Why: the key's nonces are mined in order, so a stuck transaction blocks every later one. Claims are known
 * from the ledger, but deposits, refunds and settles are not written anywhere; this memory is what lets the claim
 * round find the transaction at the head of the queue and replace it. It is in memory only: a transaction left
 * stuck by a previous run is not known after a restart. Bounded to {@value #MAX_NONCES} nonces (the lowest are
 * forgotten first), and pruned whenever the sender learns how many of its transactions are mined.
 */
final class SentTransactions {
  /** Far more than a healthy key ever has in flight; only a sender nobody prunes reaches it. */
  static final int MAX_NONCES = 256;

  /** One nonce: what it is for, its hashes (oldest first) and when the newest was broadcast. */
  record AtNonce(BigInteger nonce, TransactionSender.Purpose purpose, List<String> hashes, Instant lastBroadcast) {
    String newest() {
      return hashes.getLast();
    }
  }

  private final TreeMap<BigInteger, AtNonce> byNonce = new TreeMap<>();

  /**
   * {@code hash} is about to be broadcast with {@code nonce}. A second hash for a nonce is a replacement: it keeps
   * the first one's purpose (a claim stays a claim) unless the first one's was not known.
   */
  synchronized void broadcast(BigInteger nonce, TransactionSender.Purpose purpose, String hash, Instant at) {
    AtNonce before = byNonce.get(nonce);
    List<String> hashes = new ArrayList<>(before == null ? List.of() : before.hashes());
    if (!hashes.contains(hash)) {
      hashes.add(hash);
    }
    TransactionSender.Purpose kept = before == null || before.purpose().kind() == TransactionSender.Kind.OTHER
        ? purpose : before.purpose();
    byNonce.put(nonce, new AtNonce(nonce, kept, List.copyOf(hashes), at));
    while (byNonce.size() > MAX_NONCES) {
      byNonce.pollFirstEntry();
    }
  }

  /** A replacement was refused or could not be priced: its wait starts again, so nobody retries at once. */
  synchronized void waitAgain(BigInteger nonce, Instant from) {
    byNonce.computeIfPresent(nonce, (n, e) -> new AtNonce(n, e.purpose(), e.hashes(), from));
  }

  synchronized Optional<AtNonce> at(BigInteger nonce) {
    return Optional.ofNullable(byNonce.get(nonce));
  }

  /** The nonce {@code hash} was broadcast with, while it is remembered. */
  synchronized Optional<BigInteger> nonceOf(String hash) {
    return byNonce.values().stream().filter(e -> e.hashes().stream().anyMatch(hash::equalsIgnoreCase))
        .map(AtNonce::nonce).findFirst();
  }

  /** Forgets every nonce below {@code minedCount}: those are mined, by one of their hashes. */
  synchronized void minedBelow(BigInteger minedCount) {
    byNonce.headMap(minedCount).clear();
  }

  /** Nonces still remembered (not known mined), lowest first. */
  synchronized List<AtNonce> all() {
    return List.copyOf(byNonce.values());
  }

  /** For tests: the number of nonces remembered. */
  synchronized int size() {
    return byNonce.size();
  }
}
