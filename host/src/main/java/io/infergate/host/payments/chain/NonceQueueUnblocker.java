package io.infergate.host.payments.chain;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design notes.
 *
 * The facilitator key's transactions are mined in nonce order, so the lowest unmined nonce decides whether
 * anything of the key moves: a claim replaced with any fee still waits behind a stuck deposit. Each claim round
 * looks at that nonce (the chain's mined count) and, when this process broadcast it for a deposit, refund or
 * settle whose newest transaction has waited replaceAfter, replaces it (StuckTransactionReplacer). A deposit or
 * refund still inside its own wait is replaced by that wait the same way; both go through
 * TransactionSender.replaceIfWaited under the sending lock, so the same transaction is not replaced twice.
 *
 * Claims at the head are left to ClaimReplacer, which records their hashes in the ledger first. Other
 * transactions (a receipt anchor commit sent with the facilitator key) are never replaced: their sender waits for
 * the hash it recorded and would take a replaced one for dropped; one stuck at the head is logged. The fee cap is
 * the scheduler's, except while a claim of a channel with a pending withdrawal is in flight: that claim cannot
 * land before the head of the queue, so the dead-man rule lifts the cap for the head too.
 *
 * The sender's memory starts from the ledger's record of what the key broadcast (SentTransactionJournal, written
 * before each broadcast), so a transaction a crashed run left at the head is known and replaced after the
 * restart; a head this process does not know is looked up in that record again, so the claims leader also
 * replaces a deposit another replica sent and left stuck. One the record does not hold (sent with the key by a
 * wallet) cannot be: the chain offers no standard way to read a sender's pending transactions by nonce
 * (txpool_content is a geth extension), so that case is only logged.
 */
/** The claim round's step that replaces a stuck deposit, refund or settle blocking the key's later nonces. */
final class NonceQueueUnblocker {
  private static final Logger LOG = LoggerFactory.getLogger(NonceQueueUnblocker.class);

  private final TransactionSender sender;
  private final StuckTransactionReplacer replacer;
  private BigInteger headLogged = BigInteger.ONE.negate();

  NonceQueueUnblocker(TransactionSender sender, StuckTransactionReplacer replacer) {
    this.sender = sender;
    this.replacer = replacer;
  }

  /**
   * Replaces the transaction at the key's lowest unmined nonce if it is a stuck non-claim transaction this
   * process sent; returns the replacement's hash. Empty when nothing needed or could be sent (logged).
   */
  Optional<String> unblock(Optional<BigInteger> maxFeeCap) {
    BigInteger head;
    try {
      head = sender.minedCount();
    } catch (RuntimeException e) {
      LOG.warn("cannot read the facilitator key's mined nonce to look for a stuck transaction: {}", e.getMessage());
      return Optional.empty();
    }
    List<SentTransactions.AtNonce> waiting = sender.unmined();
    if (waiting.isEmpty()) {
      return Optional.empty();
    }
    Optional<SentTransactions.AtNonce> atHead = sender.recordedWith(head);
    if (atHead.isEmpty()) {
      logUnknownHead(head, waiting);
      return Optional.empty();
    }
    TransactionSender.Kind kind = atHead.get().purpose().kind();
    if (kind == TransactionSender.Kind.CLAIM) {
      return Optional.empty();
    }
    if (!kind.replaceableByNonce()) {
      logUnreplaceableHead(atHead.get(), waiting.size() - 1);
      return Optional.empty();
    }
    int behind = waiting.size() - 1;
    return replacer.replaceIfStuck(head, maxFeeCap, behind == 0 ? "it is the key's lowest unmined nonce"
        : "it is the key's lowest unmined nonce and " + behind + " later transaction" + (behind == 1 ? "" : "s")
        + " of this node (" + waiting.get(1).purpose().description() + (behind > 1 ? ", ..." : "")
        + ") wait behind it");
  }

  /**
   * This process waits on later nonces, but the lowest unmined one is neither one it sent nor in the ledger's
   * record of the key: sent by a wallet. Logged once per head nonce, and only once the wait is long enough to matter.
   */
  private void logUnknownHead(BigInteger head, List<SentTransactions.AtNonce> waiting) {
    SentTransactions.AtNonce first = waiting.getFirst();
    if (head.equals(headLogged) || first.nonce().compareTo(head) <= 0
        || sender.now().isBefore(first.lastBroadcast().plus(replacer.replaceAfter()))) {
      return;
    }
    headLogged = head;
    LOG.warn("the facilitator key's transaction with nonce {} is not mined and is not in the ledger's record of what"
        + " the key sent (something else signed it with the key), so it cannot be replaced from here; {} (nonce {}) and later"
        + " ones wait behind it. Replace it with the key's wallet, or wait for it to be mined or dropped", head,
        first.purpose().description(), first.nonce());
  }

  /** The head is a transaction whose sender tracks its own hash only (not replaced): logged once per nonce. */
  private void logUnreplaceableHead(SentTransactions.AtNonce head, int behind) {
    if (head.nonce().equals(headLogged) || behind == 0
        || sender.now().isBefore(head.lastBroadcast().plus(replacer.replaceAfter()))) {
      return;
    }
    headLogged = head.nonce();
    LOG.warn("the facilitator key's lowest unmined nonce {} is {} ({}), unmined for over {}; it is not replaced here"
        + " (its sender waits for that hash alone), and {} later transaction(s) of this node wait behind it",
        head.nonce(), head.purpose().description(), head.newest(), replacer.replaceAfter(), behind);
  }
}
