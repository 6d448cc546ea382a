package io.infergate.host.receipts;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import java.util.List;
import java.util.Optional;

/**
 * The durable receipt journal as the anchoring side sees it: every receipt a signer issued, numbered
 * {@code 0, 1, 2, …} without gaps, and the Merkle batches that cover runs of them. The journal is written in
 * the same database transaction as the charge it attests, so a receipt exists exactly when its charge does.
 *
 * <p>A batch goes {@code PREPARED} (root computed, durable before any transaction is sent) →
 * {@code SUBMITTED} (transaction hash known; after a crash its receipt decides) → {@code COMMITTED} (on chain,
 * proofs served). A {@code PREPARED} or {@code SUBMITTED} batch that failed goes back to {@code PREPARED} with
 * its error and attempt count, and is retried with the same range and root.
 */
public interface ReceiptLog {

  /** One receipt as the anchoring side needs it. */
  record Entry(Address signer, long seq, Bytes32 digest) {}

  /** Where a batch stands. */
  enum BatchStatus { PREPARED, SUBMITTED, COMMITTED }

  /**
   * A Merkle batch over receipts {@code firstSeq..lastSeq} of one signer.
   *
   * @param commitmentIndex the index the contract returned, -1 until committed
   * @param transaction the latest commit transaction's hash, null before one was sent
   * @param blockNumber the block that included the commit, -1 until committed
   */
  record Batch(long id, Address signer, long firstSeq, long lastSeq, Bytes32 root, BatchStatus status,
      String transaction, long commitmentIndex, long blockNumber, int attempts, String lastError,
      long preparedAtMillis) {}

  /** The highest {@code seq} stored for {@code signer}, -1 if none. */
  long lastSeq(Address signer);

  /** Receipts of {@code signer} with {@code seq >= fromSeq}, in order, at most {@code limit}. */
  List<Entry> range(Address signer, long fromSeq, int limit);

  /** The receipt with this id (its digest, {@code 0x}-hex), if stored. */
  Optional<Entry> find(String id);

  /** The highest {@code lastSeq} of any batch of {@code signer} (prepared or later), -1 if none. */
  long lastBatchedSeq(Address signer);

  /** Batches of {@code signer} not yet {@code COMMITTED}, oldest first. */
  List<Batch> openBatches(Address signer);

  /**
   * Records a new batch as {@code PREPARED}. Refused (IllegalStateException) when the range does not start right
   * after {@link #lastBatchedSeq} or reaches past {@link #lastSeq}.
   */
  Batch prepareBatch(Address signer, long firstSeq, long lastSeq, Bytes32 root, long nowMillis);

  /** Records that {@code transaction} was signed for the batch, before it is broadcast. */
  void markSubmitted(long batchId, String transaction);

  /** Records the batch as on chain. */
  void markCommitted(long batchId, long commitmentIndex, long blockNumber);

  /** Records a failed attempt; the batch is {@code PREPARED} again, to be retried with the same root. */
  void markFailed(long batchId, String error);

  /** The batch covering {@code seq} of {@code signer}, if any. */
  Optional<Batch> batchFor(Address signer, long seq);
}
