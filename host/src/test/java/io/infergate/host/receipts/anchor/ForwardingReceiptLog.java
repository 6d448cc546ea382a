package io.infergate.host.receipts.anchor;

import io.infergate.host.receipts.ReceiptLog;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import java.util.List;
import java.util.Optional;

/** A journal that forwards to another; tests override one step to stage a crash there. */
class ForwardingReceiptLog implements ReceiptLog {
  private final ReceiptLog to;

  ForwardingReceiptLog(ReceiptLog to) {
    this.to = to;
  }

  @Override
  public long lastSeq(Address signer) {
    return to.lastSeq(signer);
  }

  @Override
  public List<Entry> range(Address signer, long fromSeq, int limit) {
    return to.range(signer, fromSeq, limit);
  }

  @Override
  public Optional<Entry> find(String id) {
    return to.find(id);
  }

  @Override
  public long lastBatchedSeq(Address signer) {
    return to.lastBatchedSeq(signer);
  }

  @Override
  public List<Batch> openBatches(Address signer) {
    return to.openBatches(signer);
  }

  @Override
  public Batch prepareBatch(Address signer, long firstSeq, long lastSeq, Bytes32 root, long nowMillis) {
    return to.prepareBatch(signer, firstSeq, lastSeq, root, nowMillis);
  }

  @Override
  public void markSubmitted(long batchId, String transaction) {
    to.markSubmitted(batchId, transaction);
  }

  @Override
  public void markCommitted(long batchId, long commitmentIndex, long blockNumber) {
    to.markCommitted(batchId, commitmentIndex, blockNumber);
  }

  @Override
  public void markFailed(long batchId, String error) {
    to.markFailed(batchId, error);
  }

  @Override
  public Optional<Batch> batchFor(Address signer, long seq) {
    return to.batchFor(signer, seq);
  }
}
