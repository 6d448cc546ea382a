package io.infergate.host.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.InferenceReceipt;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receipt journal in the embedded SQLite ledger. */
class SqliteReceiptJournalTest extends ReceiptJournalContract {
  @TempDir Path dir;

  @Override
  protected ChannelLedger openLedger() {
    return SqliteChannelLedger.open(dir.resolve("ledger.sqlite"), Clock.systemUTC());
  }

  @Override
  protected ChannelLedger reopenClosed() {
    return SqliteChannelLedger.open(dir.resolve("ledger.sqlite"), Clock.systemUTC());
  }

  /**
   * A SQLite file has one ledger instance at a time (a second open is refused): the "other handle" is the test's own
   * instance, behind a close() that does nothing.
   */
  @Override
  protected ChannelLedger reopen() {
    ChannelLedger same = ledger;
    return (ChannelLedger) java.lang.reflect.Proxy.newProxyInstance(ChannelLedger.class.getClassLoader(),
        new Class<?>[] {ChannelLedger.class}, (proxy, m, args) -> {
          if (m.getName().equals("close")) {
            return null;
          }
          try {
            return m.invoke(same, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** Rows in {@code table}, read on the ledger's own connection (nothing else may open the file). */
  long rows(ChannelLedger l, String table) {
    return l.database().read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Test
  void paidCallsAppendToTheLogWhichFlushesMoveIntoReceiptsInBatches() {
    fund(ledger, channel(7));
    int n = 2 * ReceiptJournal.FLUSH_BATCH + 22;     // three move transactions
    List<StoredReceipt> issued = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      issued.add(charge(ledger, issuer, channel(7), 3, Bytes32.keccak(new byte[] {7, (byte) i, (byte) (i >> 8)})));
    }
    assertEquals(n, rows(ledger, "receipt_log"), "the charges' transactions wrote the log only");
    assertEquals(0, rows(ledger, "receipts"));
    assertEquals(n, journal.flushLog());
    assertEquals(0, rows(ledger, "receipt_log"));
    assertEquals(n, rows(ledger, "receipts"));
    assertEquals(0, journal.flushLog(), "nothing left to move");
    for (int i = 0; i < n; i++) {
      InferenceReceipt r = journal.receipt(issued.get(i).id()).orElseThrow().receipt().receipt();
      assertEquals(i, r.seq(), "numbered in order across the move");
    }
  }

  @Test
  void everyReadSeesReceiptsStillInTheLogAndTheSeqGoesOnAcrossTheMove() {
    fund(ledger, channel(8));
    StoredReceipt first = charge(ledger, issuer, channel(8), 2, Bytes32.keccak(new byte[] {8, 1}));
    assertEquals(1, rows(ledger, "receipt_log"));
    assertEquals(first.receipt(), journal.receipt(first.id()).orElseThrow().receipt(), "a read moves the log first");
    assertEquals(0, rows(ledger, "receipt_log"));
    StoredReceipt second = charge(ledger, issuer, channel(8), 2, Bytes32.keccak(new byte[] {8, 2}));
    assertEquals(1, second.receipt().receipt().seq(), "the next seq counts the moved receipts");
    assertEquals(1, journal.lastSeq(KEY.address()));
    assertEquals(2, journal.count(KEY.address()));
    assertEquals(List.of(0L, 1L), journal.byChannel(channel(8), -1, 10).stream()
        .map(r -> r.receipt().receipt().seq()).toList());
    assertEquals(2, journal.range(KEY.address(), 0, 10).size());
    assertEquals(1, journal.find(second.id()).orElseThrow().seq());
  }

  @Test
  void receiptsLeftInTheLogByAStoppedNodeAreServedAfterItRestarts() {
    fund(ledger, channel(9));
    List<StoredReceipt> issued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      issued.add(charge(ledger, issuer, channel(9), 1, Bytes32.keccak(new byte[] {9, (byte) i})));
    }
    assertEquals(3, rows(ledger, "receipt_log"));
    ledger.close();     // stopped before any flush: the receipts are durable in the log
    ledger = reopenClosed();
    journal = ReceiptJournal.open(ledger);
    issuer = new ReceiptIssuer(journal, issuer.signer(), Clock.systemUTC());
    assertEquals(3, rows(ledger, "receipt_log"));
    for (StoredReceipt r : issued) {
      assertEquals(r.receipt(), journal.receipt(r.id()).orElseThrow().receipt());
    }
    assertEquals(3, charge(ledger, issuer, channel(9), 1, Bytes32.keccak(new byte[] {9, 9})).receipt().receipt().seq());
  }

  @Test
  void aReadRacingTheFlusherStillSeesEveryCommittedReceipt() throws Exception {
    fund(ledger, channel(10));
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread flusher = Thread.ofPlatform().start(() -> {
      while (!stop.get()) {
        journal.flushLog();
      }
    });
    try {
      for (int i = 0; i < 300; i++) {
        Bytes32 request = Bytes32.keccak(new byte[] {10, (byte) i, (byte) (i >> 8)});
        StoredReceipt r = charge(ledger, issuer, channel(10), 1, request);
        assertEquals(r.receipt(), journal.receipt(r.id()).orElseThrow(
            () -> new AssertionError("receipt " + r.receipt().receipt().seq() + " committed but not found")).receipt());
      }
    } finally {
      stop.set(true);
      flusher.join();
    }
  }
}
