package io.infergate.host.receipts.anchor;

import io.infergate.host.receipts.ReceiptLog;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.SignedReceipt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A journal kept in memory with the {@link ReceiptLog} contract (gapless seq, forward-only batches, the status
 * transitions), for anchoring tests until the JDBC journal is merged. Filled with really signed receipts.
 */
final class MemoryReceiptLog implements ReceiptLog {
  private final Map<Address, TreeMap<Long, Entry>> receipts = new HashMap<>();
  private final Map<String, Entry> byId = new HashMap<>();
  private final Map<Long, Batch> batches = new TreeMap<>();
  private long nextBatchId = 1;

  synchronized void append(SignedReceipt r) {
    Address signer = r.signer();
    long expected = lastSeq(signer) + 1;
    if (r.receipt().seq() != expected) {
      throw new IllegalStateException("seq " + r.receipt().seq() + " is not the next one (" + expected + ")");
    }
    Entry e = new Entry(signer, r.receipt().seq(), r.digest());
    receipts.computeIfAbsent(signer, k -> new TreeMap<>()).put(e.seq(), e);
    byId.put(r.id(), e);
  }

  @Override
  public synchronized long lastSeq(Address signer) {
    TreeMap<Long, Entry> m = receipts.get(signer);
    return m == null || m.isEmpty() ? -1 : m.lastKey();
  }

  @Override
  public synchronized List<Entry> range(Address signer, long fromSeq, int limit) {
    TreeMap<Long, Entry> m = receipts.getOrDefault(signer, new TreeMap<>());
    return m.tailMap(fromSeq, true).values().stream().limit(limit).toList();
  }

  @Override
  public synchronized Optional<Entry> find(String id) {
    return Optional.ofNullable(byId.get(Bytes32.parse(id).toString()));
  }

  @Override
  public synchronized long lastBatchedSeq(Address signer) {
    return batches.values().stream().filter(b -> b.signer().equals(signer)).mapToLong(Batch::lastSeq).max().orElse(-1);
  }

  @Override
  public synchronized List<Batch> openBatches(Address signer) {
    return batches.values().stream().filter(b -> b.signer().equals(signer) && b.status() != BatchStatus.COMMITTED)
        .toList();
  }

  @Override
  public synchronized Batch prepareBatch(Address signer, long firstSeq, long lastSeq, Bytes32 root, long nowMillis) {
    if (firstSeq != lastBatchedSeq(signer) + 1 || lastSeq > lastSeq(signer) || lastSeq < firstSeq) {
      throw new IllegalStateException("batch " + firstSeq + ".." + lastSeq + " does not follow the last batch");
    }
    Batch b = new Batch(nextBatchId++, signer, firstSeq, lastSeq, root, BatchStatus.PREPARED, null, -1, -1, 0, null,
        nowMillis);
    batches.put(b.id(), b);
    return b;
  }

  @Override
  public synchronized void markSubmitted(long batchId, String transaction) {
    Batch b = get(batchId);
    batches.put(batchId, new Batch(b.id(), b.signer(), b.firstSeq(), b.lastSeq(), b.root(), BatchStatus.SUBMITTED,
        transaction, -1, -1, b.attempts(), b.lastError(), b.preparedAtMillis()));
  }

  @Override
  public synchronized void markCommitted(long batchId, long commitmentIndex, long blockNumber) {
    Batch b = get(batchId);
    batches.put(batchId, new Batch(b.id(), b.signer(), b.firstSeq(), b.lastSeq(), b.root(), BatchStatus.COMMITTED,
        b.transaction(), commitmentIndex, blockNumber, b.attempts(), b.lastError(), b.preparedAtMillis()));
  }

  @Override
  public synchronized void markFailed(long batchId, String error) {
    Batch b = get(batchId);
    if (b.status() == BatchStatus.COMMITTED) {
      throw new IllegalStateException("batch " + batchId + " is committed");
    }
    batches.put(batchId, new Batch(b.id(), b.signer(), b.firstSeq(), b.lastSeq(), b.root(), BatchStatus.PREPARED,
        b.transaction(), -1, -1, b.attempts() + 1, error, b.preparedAtMillis()));
  }

  @Override
  public synchronized Optional<Batch> batchFor(Address signer, long seq) {
    return batches.values().stream().filter(b -> b.signer().equals(signer) && b.firstSeq() <= seq && seq <= b.lastSeq())
        .findFirst();
  }

  synchronized List<Batch> all() {
    return new ArrayList<>(batches.values());
  }

  private Batch get(long id) {
    Batch b = batches.get(id);
    if (b == null) {
      throw new IllegalArgumentException("no batch " + id);
    }
    return b;
  }
}
