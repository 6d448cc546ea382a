package io.infergate.host.payments.chain;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one {@link TransactionSender} broadcast, per nonce, for the nonces not yet known to be mined: the purpose,
 * every hash sent with that nonce (the original and its replacements) and when the newest was sent.
 *
 * <p>Why: the key's nonces are mined in order, so a stuck transaction blocks every later one. Claims are known
 * from the ledger, but deposits, refunds and settles are not written anywhere else; this memory is what lets the
 * claim round find the transaction at the head of the queue and replace it. Every change is recorded in the
 * {@link SentTransactionJournal} first (a broadcast before it goes out), and a new memory starts from what the
 * journal holds for its sender, so a transaction a crashed run left stuck is known after the restart. Bounded to
 * {@value #MAX_NONCES} nonces (the lowest are forgotten first), and pruned whenever the sender learns how many of
 * its transactions are mined.
 */
final class SentTransactions {
  private static final Logger LOG = LoggerFactory.getLogger(SentTransactions.class);
  /** Far more than a healthy key ever has in flight; only a sender nobody prunes reaches it. */
  static final int MAX_NONCES = 256;

  /** One nonce: what it is for, its hashes (oldest first) and when the newest was broadcast. */
  record AtNonce(BigInteger nonce, TransactionSender.Purpose purpose, List<String> hashes, Instant lastBroadcast) {
    String newest() {
      return hashes.getLast();
    }

    /** The first broadcast of a nonce. */
    static AtNonce first(BigInteger nonce, TransactionSender.Purpose purpose, String hash, Instant at) {
      return new AtNonce(nonce, purpose, List.of(hash), at);
    }

    /**
     * This nonce after {@code hash} was broadcast with it at {@code at} (a replacement, or the same hash again): the
     * first purpose is kept (a claim stays a claim) unless it was not known.
     */
    AtNonce broadcast(TransactionSender.Purpose as, String hash, Instant at) {
      List<String> all = new ArrayList<>(hashes);
      if (!all.contains(hash)) {
        all.add(hash);
      }
      return new AtNonce(nonce, purpose.kind() == TransactionSender.Kind.OTHER ? as : purpose, List.copyOf(all), at);
    }
  }

  private final TreeMap<BigInteger, AtNonce> byNonce = new TreeMap<>();
  private final SentTransactionJournal journal;
  private final String sender;

  /** A memory of this process only. */
  SentTransactions() {
    this(SentTransactionJournal.NONE, "");
  }

  /** The memory of {@code sender}'s transactions, recorded in {@code journal} and starting from what it holds. */
  SentTransactions(SentTransactionJournal journal, String sender) {
    this.journal = journal;
    this.sender = sender;
    for (AtNonce at : journal.load(sender)) {
      byNonce.put(at.nonce(), at);
    }
  }

  /**
   * {@code hash} is about to be broadcast with {@code nonce}. A second hash for a nonce is a replacement: it keeps
   * the first one's purpose (a claim stays a claim) unless the first one's was not known. Recorded in the journal
   * before it is remembered; if that fails, this throws and the transaction must not be broadcast.
   */
  synchronized void broadcast(BigInteger nonce, TransactionSender.Purpose purpose, String hash, Instant at) {
    AtNonce before = byNonce.get(nonce);
    AtNonce now = before == null ? AtNonce.first(nonce, purpose, hash, at) : before.broadcast(purpose, hash, at);
    journal.sent(sender, nonce, now.purpose(), hash, at);
    byNonce.put(nonce, now);
    while (byNonce.size() > MAX_NONCES) {
      forgetQuietly(byNonce.pollFirstEntry().getKey());
    }
  }

  /** A replacement was refused or could not be priced: its wait starts again, so nobody retries at once. */
  synchronized void waitAgain(BigInteger nonce, Instant from) {
    AtNonce e = byNonce.get(nonce);
    if (e != null) {
      AtNonce again = new AtNonce(nonce, e.purpose(), e.hashes(), from);
      byNonce.put(nonce, again);
      try {
        journal.waitAgain(sender, nonce, e.newest(), from);
      } catch (RuntimeException failed) {
        // Only the wait's start is lost: after a restart the nonce is due for replacement a little early.
        LOG.warn("cannot record the new wait of nonce {} of {}: {}", nonce, sender, failed.getMessage());
      }
    }
  }

  synchronized Optional<AtNonce> at(BigInteger nonce) {
    return Optional.ofNullable(byNonce.get(nonce));
  }

  /**
   * Runs {@code work} while no other process sharing the journal sends with this key
   * ({@link SentTransactionJournal#exclusively}).
   */
  <T> T exclusively(java.util.function.Supplier<T> work) {
    return journal.exclusively(sender, work);
  }

  /**
   * What is remembered for {@code nonce}, joined with what the journal holds for it (another process of the key, a
   * replica, may have sent it or replaced it since this one started); the joined entry is remembered. When nobody
   * else writes the journal ({@link SentTransactionJournal#shared}), or it cannot be read (logged), what is
   * remembered.
   */
  synchronized Optional<AtNonce> recorded(BigInteger nonce) {
    AtNonce mine = byNonce.get(nonce);
    if (!journal.shared()) {
      return Optional.ofNullable(mine);
    }
    Optional<AtNonce> theirs;
    try {
      theirs = journal.load(sender, nonce);
    } catch (RuntimeException e) {
      LOG.warn("cannot read the ledger's record of nonce {} of {}: {}", nonce, sender, e.getMessage());
      return Optional.ofNullable(mine);
    }
    if (theirs.isEmpty()) {
      return Optional.ofNullable(mine);
    }
    AtNonce joined = mine == null ? theirs.get() : joined(mine, theirs.get());
    byNonce.put(nonce, joined);
    return Optional.of(joined);
  }

  /** The journal's order of sending comes first: every hash of this process was recorded before it went out. */
  private static AtNonce joined(AtNonce mine, AtNonce theirs) {
    List<String> hashes = new ArrayList<>(theirs.hashes());
    mine.hashes().stream().filter(h -> !hashes.contains(h)).forEach(hashes::add);
    TransactionSender.Purpose purpose = mine.purpose().kind() == TransactionSender.Kind.OTHER ? theirs.purpose()
        : mine.purpose();
    Instant last = mine.lastBroadcast().isAfter(theirs.lastBroadcast()) ? mine.lastBroadcast() : theirs.lastBroadcast();
    return new AtNonce(mine.nonce(), purpose, List.copyOf(hashes), last);
  }

  /** The nonce {@code hash} was broadcast with, while it is remembered. */
  synchronized Optional<BigInteger> nonceOf(String hash) {
    return byNonce.values().stream().filter(e -> e.hashes().stream().anyMatch(hash::equalsIgnoreCase))
        .map(AtNonce::nonce).findFirst();
  }

  /** Forgets every nonce below {@code minedCount}: those are mined, by one of their hashes. */
  synchronized void minedBelow(BigInteger minedCount) {
    var mined = byNonce.headMap(minedCount);
    if (!mined.isEmpty()) {
      mined.clear();
      try {
        journal.forgetBelow(sender, minedCount);
      } catch (RuntimeException e) {
        // The rows stay until the next prune; a restart loading them forgets them again at its first mined count.
        LOG.warn("cannot forget the mined nonces below {} of {} in the ledger: {}", minedCount, sender, e.getMessage());
      }
    }
  }

  private void forgetQuietly(BigInteger nonce) {
    try {
      journal.forget(sender, nonce);
    } catch (RuntimeException e) {
      LOG.warn("cannot forget nonce {} of {} in the ledger: {}", nonce, sender, e.getMessage());
    }
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
