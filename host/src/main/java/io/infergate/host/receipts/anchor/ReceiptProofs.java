package io.infergate.host.receipts.anchor;

import io.infergate.host.errors.NotFoundException;
import io.infergate.host.errors.ReceiptNotAnchoredException;
import io.infergate.host.receipts.ReceiptLog;
import io.infergate.host.receipts.ReceiptLog.Batch;
import io.infergate.host.receipts.ReceiptLog.BatchStatus;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.ReceiptMerkleTree;
import io.infergate.x402.receipt.ReceiptProof;
import java.util.Optional;

/**
 * Inclusion proofs for {@code GET /v1/receipts/{id}/proof}: the receipt's position in its batch's Merkle tree
 * (computed from the journal's digests for the batch's range; trees of recent batches are cached) and where the
 * batch's root is on chain. Served only once the batch is {@code COMMITTED}; before that the answer says what the
 * batch is waiting for and when to ask again.
 */
public final class ReceiptProofs {
  private final ReceiptLog log;
  private final AnchorContract contract;
  private final BatchTrees trees;
  private final ReceiptAnchorer anchorer;

  ReceiptProofs(ReceiptLog log, AnchorContract contract, BatchTrees trees, ReceiptAnchorer anchorer) {
    this.log = log;
    this.contract = contract;
    this.trees = trees;
    this.anchorer = anchorer;
  }

  /**
   * The proof of receipt {@code id} (its EIP-712 digest, {@code 0x}-hex).
   *
   * @throws NotFoundException when the journal has no such receipt, or it was signed by another key
   * @throws ReceiptNotAnchoredException when the receipt's root is not on chain yet (409, with Retry-After)
   */
  public ReceiptProof proof(String id) {
    String normalized;
    try {
      normalized = Bytes32.parse(id).toString();
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("no receipt " + id + ": a receipt id is its EIP-712 digest, 0x and 64 hex digits");
    }
    ReceiptLog.Entry entry = log.find(normalized).orElseThrow(() -> new NotFoundException("no receipt " + normalized
        + " on this node; the id is the receipt's EIP-712 digest (the \"id\" of the served receipt)"));
    if (!entry.signer().equals(contract.signer())) {
      throw new NotFoundException("receipt " + normalized + " was signed by " + entry.signer().toChecksumString()
          + ", which this node no longer anchors (its receipt key is " + contract.signer().toChecksumString() + ")");
    }
    Optional<Batch> batch = log.batchFor(entry.signer(), entry.seq());
    if (batch.isEmpty() || batch.get().status() != BatchStatus.COMMITTED) {
      long retry = anchorer.retryAfterSeconds(batch);
      throw new ReceiptNotAnchoredException(notYet(normalized, entry.seq(), batch, retry), retry);
    }
    Batch b = batch.get();
    ReceiptMerkleTree tree = trees.of(b);
    return new ReceiptProof(normalized, entry.seq(), contract.provider(), entry.signer(),
        tree.proof((int) (entry.seq() - b.firstSeq())), b.root(), b.firstSeq(), b.lastSeq(), b.commitmentIndex(),
        contract.anchor(), contract.chainId(), b.transaction(), b.blockNumber());
  }

  private String notYet(String id, long seq, Optional<Batch> batch, long retry) {
    String conflict = anchorer.conflict().map(c -> " Anchoring is stopped: " + c).orElse("");
    if (batch.isEmpty()) {
      return "receipt " + id + " (seq " + seq + ") is not anchored yet: it is not in a batch yet (a batch is cut every "
          + anchorer.options().batchSize() + " receipts or " + anchorer.options().interval().toSeconds()
          + " s); retry after " + retry + " s" + conflict;
    }
    Batch b = batch.get();
    String why = b.lastError() == null ? "" : "; last attempt failed: " + b.lastError();
    return "receipt " + id + " (seq " + seq + ") is not anchored yet: its batch " + b.id() + " (receipts "
        + b.firstSeq() + ".." + b.lastSeq() + ") is " + b.status()
        + (b.status() == BatchStatus.SUBMITTED ? " in transaction " + b.transaction() : "") + why + "; retry after "
        + retry + " s" + (conflict.isEmpty() || why.contains("CONFLICT") ? "" : conflict);
  }
}
