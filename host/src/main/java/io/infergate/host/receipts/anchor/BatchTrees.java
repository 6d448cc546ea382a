package io.infergate.host.receipts.anchor;

import io.infergate.host.receipts.ReceiptLog;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.ReceiptMerkleTree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Merkle tree of a batch from the journal's digests, and keeps the trees of the most recent batches
 * (proofs are mostly asked for fresh receipts; a 1024-leaf tree is about 100 KB and rebuilds in about a
 * millisecond, so a few are enough).
 */
final class BatchTrees {
  private final ReceiptLog log;
  private final int capacity;
  private final Map<Long, ReceiptMerkleTree> recent;

  BatchTrees(ReceiptLog log, int capacity) {
    this.log = log;
    this.capacity = capacity;
    this.recent = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, ReceiptMerkleTree> eldest) {
        return size() > BatchTrees.this.capacity;
      }
    };
  }

  /** The tree over receipts {@code firstSeq..lastSeq} of {@code signer}, read from the journal. */
  static ReceiptMerkleTree build(ReceiptLog log, io.infergate.x402.crypto.Address signer, long firstSeq, long lastSeq) {
    long size = lastSeq - firstSeq + 1;
    if (size < 1 || size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("batch range " + firstSeq + ".." + lastSeq + " is empty or too large");
    }
    List<Bytes32> digests = new ArrayList<>((int) size);
    long next = firstSeq;
    while (next <= lastSeq) {
      List<ReceiptLog.Entry> page = log.range(signer, next, (int) Math.min(4096, lastSeq - next + 1));
      if (page.isEmpty()) {
        throw new IllegalStateException("the receipt journal has no receipt " + next + " of " + signer
            + " although a batch up to " + lastSeq + " was asked for; the journal is damaged");
      }
      for (ReceiptLog.Entry e : page) {
        if (e.seq() != next) {
          throw new IllegalStateException("the receipt journal of " + signer + " has a gap: expected seq " + next
              + ", found " + e.seq());
        }
        digests.add(e.digest());
        next++;
      }
    }
    return ReceiptMerkleTree.of(digests);
  }

  /** The batch's tree, from the cache or rebuilt; checked against the batch's recorded root. */
  ReceiptMerkleTree of(ReceiptLog.Batch batch) {
    synchronized (recent) {
      ReceiptMerkleTree t = recent.get(batch.id());
      if (t != null) {
        return t;
      }
    }
    ReceiptMerkleTree t = build(log, batch.signer(), batch.firstSeq(), batch.lastSeq());
    if (!t.root().equals(batch.root())) {
      throw new IllegalStateException("batch " + batch.id() + " (receipts " + batch.firstSeq() + ".." + batch.lastSeq()
          + ") has root " + batch.root() + " but the journal's receipts give " + t.root() + "; the journal is damaged");
    }
    remember(batch.id(), t);
    return t;
  }

  void remember(long batchId, ReceiptMerkleTree tree) {
    synchronized (recent) {
      recent.put(batchId, tree);
    }
  }
}
