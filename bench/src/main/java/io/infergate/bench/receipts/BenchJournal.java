package io.infergate.bench.receipts;

import io.infergate.host.receipts.ReceiptLog;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A journal in memory for one signer, so the bench measures the tree and the chain, not a database. */
final class BenchJournal implements ReceiptLog {
  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, Entry> byId = new HashMap<>();
  private final List<Batch> batches = new ArrayList<>();

  synchronized void append(Address signer, Bytes32 digest) {
    Entry e = new Entry(signer, entries.size(), digest);
    entries.add(e);
    byId.put(digest.toString(), e);
  }

  @Override
  public synchronized long lastSeq(Address signer) {
    return entries.size() - 1;
  }

  @Override
  public synchronized List<Entry> range(Address signer, long fromSeq, int limit) {
    int from = (int) Math.min(fromSeq, entries.size());
    return List.copyOf(entries.subList(from, Math.min(entries.size(), from + limit)));
  }

  @Override
  public synchronized Optional<Entry> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public synchronized long lastBatchedSeq(Address signer) {
    return batches.isEmpty() ? -1 : batches.getLast().lastSeq();
  }

  @Override
  public synchronized List<Batch> openBatches(Address signer) {
    return batches.stream().filter(b -> b.status() != BatchStatus.COMMITTED).toList();
  }

  @Override
  public synchronized Batch prepareBatch(Address signer, long firstSeq, long lastSeq, Bytes32 root, long nowMillis) {
    Batch b = new Batch(batches.size(), signer, firstSeq, lastSeq, root, BatchStatus.PREPARED, null, -1, -1, 0, null,
        nowMillis);
    batches.add(b);
    return b;
  }

  @Override
  public synchronized void markSubmitted(long id, String tx) {
    Batch b = batches.get((int) id);
    batches.set((int) id, new Batch(id, b.signer(), b.firstSeq(), b.lastSeq(), b.root(), BatchStatus.SUBMITTED, tx, -1,
        -1, b.attempts(), b.lastError(), b.preparedAtMillis()));
  }

  @Override
  public synchronized void markCommitted(long id, long index, long block) {
    Batch b = batches.get((int) id);
    batches.set((int) id, new Batch(id, b.signer(), b.firstSeq(), b.lastSeq(), b.root(), BatchStatus.COMMITTED,
        b.transaction(), index, block, b.attempts(), b.lastError(), b.preparedAtMillis()));
  }

  @Override
  public synchronized void markFailed(long id, String error) {
    Batch b = batches.get((int) id);
    batches.set((int) id, new Batch(id, b.signer(), b.firstSeq(), b.lastSeq(), b.root(), BatchStatus.PREPARED,
        b.transaction(), -1, -1, b.attempts() + 1, error, b.preparedAtMillis()));
  }

  @Override
  public synchronized Optional<Batch> batchFor(Address signer, long seq) {
    return batches.stream().filter(b -> b.firstSeq() <= seq && seq <= b.lastSeq()).findFirst();
  }

  synchronized List<Batch> batches() {
    return List.copyOf(batches);
  }
}
