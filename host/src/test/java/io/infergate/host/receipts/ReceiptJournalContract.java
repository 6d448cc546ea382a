package io.infergate.host.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.models.RuntimeProfile;
import io.infergate.host.payments.ledger.ChannelConfig;
import io.infergate.host.payments.ledger.ChannelLease;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.payments.ledger.ChargeResult;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.receipt.InferenceReceipt;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receipt journal on a real database, written through the ledger's charge transaction exactly as a paid call
 * does: gapless seq per signer, a receipt exactly when its charge commits, reads and the anchoring batches.
 */
abstract class ReceiptJournalContract {
  static final PrivateKey KEY = PrivateKey.random();
  static final Address ANCHOR = Address.parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  static final Address PROVIDER = Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  static final RuntimeProfile PROFILE = RuntimeProfile.of(Map.of("onnxruntime", "1.23.2", "executionProvider", "cpu"));
  static final ReceiptIssuer.ServiceFacts FACTS = new ReceiptIssuer.ServiceFacts("doubler", "bafyplugin",
      InferenceReceipt.modelSetHash(List.of("bafymodel")), PROFILE);

  ChannelLedger ledger;
  ReceiptJournal journal;
  ReceiptIssuer issuer;

  /** A fresh, empty ledger. */
  protected abstract ChannelLedger openLedger();

  /** Another ledger instance on the same database (another replica, or another handle on the SQLite file). */
  protected abstract ChannelLedger reopen();

  /** A new ledger instance on the database after the test's own was closed (a restart). */
  protected ChannelLedger reopenClosed() {
    return reopen();
  }

  @BeforeEach
  void open() {
    ledger = openLedger();
    journal = ReceiptJournal.open(ledger);
    issuer = new ReceiptIssuer(journal, new ReceiptIssuer.Signer(KEY, InferenceReceipt.domain(31337, ANCHOR), PROVIDER),
        Clock.systemUTC());
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  static String channel(int n) {
    return String.format("0x%064x", n);
  }

  static ChannelConfig config() {
    return new ChannelConfig("0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222",
        "0x3333333333333333333333333333333333333333", "0x4444444444444444444444444444444444444444",
        "0x00000000000000000000000000000000000000aa", 900, "0x" + "00".repeat(31) + "01");
  }

  void fund(ChannelLedger l, String id) {
    l.upsertChannel(id, config());
    l.applyChainState(id, BigInteger.valueOf(1_000_000_000), BigInteger.ZERO, 0, BigInteger.ZERO, 1);
  }

  static byte[] sig() {
    byte[] s = new byte[65];
    s[64] = 27;
    return s;
  }

  /** One paid call's charge with its receipt, as PaidCall does it; returns the receipt or null if refused. */
  StoredReceipt charge(ChannelLedger l, ReceiptIssuer iss, String id, long price, Bytes32 request) {
    ChannelLease lease = l.acquire(id, "t-" + Thread.currentThread().threadId(), Duration.ofSeconds(30));
    ChannelState s = l.get(id).orElseThrow();
    BigInteger next = s.chargedCumulativeAmount().add(BigInteger.valueOf(price));
    ReceiptIssuer.Pending p = iss.pending(new ReceiptIssuer.Draft(FACTS, request, Bytes32.keccak(request.toBytes()),
        next));
    ChargeResult r = l.recordChargeAndRelease(lease, s.version(), next, next, sig(), p);
    if (!r.committed()) {
      l.release(lease);
      return null;
    }
    return p.receipt().orElseThrow();
  }

  @Test
  void aChargeAndItsReceiptCommitTogetherWithGaplessSeq() {
    fund(ledger, channel(1));
    List<StoredReceipt> issued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      issued.add(charge(ledger, issuer, channel(1), 7, Bytes32.keccak(new byte[] {(byte) i})));
    }
    for (int i = 0; i < 5; i++) {
      InferenceReceipt r = issued.get(i).receipt().receipt();
      assertEquals(i, r.seq());
      assertEquals(BigInteger.valueOf(7), r.chargedAmount());
      assertEquals(BigInteger.valueOf(7L * (i + 1)), r.chargedCumulativeAmount());
      assertEquals(BigInteger.valueOf(7L * (i + 1)), r.maxClaimableAmount());
      assertEquals(PROVIDER, r.provider());
      assertEquals(PROFILE.hash(), r.runtimeProfileHash());
      assertEquals(Bytes32.parse(channel(1)), r.channelId());
      assertEquals(KEY.address(), issued.get(i).receipt().signer());
      StoredReceipt back = journal.receipt(issued.get(i).id()).orElseThrow();
      assertEquals(issued.get(i).receipt(), back.receipt());
      assertEquals(PROFILE.canonicalJson(), back.runtimeProfile().orElseThrow());
      assertEquals(issued.get(i).toJson(), back.toJson(), "the stored receipt serves the same document");
    }
    assertEquals(4, journal.lastSeq(KEY.address()));
    assertEquals(-1, journal.lastSeq(PrivateKey.random().address()));
    assertEquals(5, journal.range(KEY.address(), 0, 100).size());
    assertEquals(List.of(3L, 4L), journal.range(KEY.address(), 3, 100).stream().map(ReceiptLog.Entry::seq).toList());
    ReceiptLog.Entry e = journal.find(issued.get(2).id().toUpperCase().replace("0X", "0x")).orElseThrow();
    assertEquals(2, e.seq());
    assertEquals(KEY.address(), e.signer());
    assertTrue(journal.find(Bytes32.keccak(new byte[] {1}).toString()).isEmpty());
  }

  @Test
  void eachSignerKeyNumbersItsOwnStreamWithoutGaps() {
    // A rotated receipt key starts its own stream at 0; the old key's stream goes on where it stopped.
    fund(ledger, channel(5));
    PrivateKey rotated = PrivateKey.random();
    ReceiptIssuer second = new ReceiptIssuer(journal, new ReceiptIssuer.Signer(rotated,
        InferenceReceipt.domain(31337, ANCHOR), PROVIDER), Clock.systemUTC());
    List<Long> first = new ArrayList<>();
    List<Long> other = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      first.add(charge(ledger, issuer, channel(5), 1, Bytes32.keccak(new byte[] {5, (byte) i})).receipt().receipt()
          .seq());
      other.add(charge(ledger, second, channel(5), 1, Bytes32.keccak(new byte[] {6, (byte) i})).receipt().receipt()
          .seq());
    }
    assertEquals(List.of(0L, 1L, 2L, 3L), first);
    assertEquals(List.of(0L, 1L, 2L, 3L), other);
    assertEquals(3, journal.lastSeq(KEY.address()));
    assertEquals(3, journal.lastSeq(rotated.address()));
    assertEquals(4, journal.count(rotated.address()));
  }

  @Test
  void aRefusedOrRolledBackChargeConsumesNoSeq() {
    fund(ledger, channel(2));
    charge(ledger, issuer, channel(2), 1, Bytes32.keccak(new byte[] {1}));
    // Refused (stale version): the hook never runs.
    ChannelLease lease = ledger.acquire(channel(2), "t", Duration.ofSeconds(30));
    ChannelState s = ledger.get(channel(2)).orElseThrow();
    ReceiptIssuer.Pending p = issuer.pending(new ReceiptIssuer.Draft(FACTS, Bytes32.ZERO, Bytes32.ZERO,
        BigInteger.TEN));
    ChargeResult refused = ledger.recordChargeAndRelease(lease, s.version() - 1, BigInteger.TWO, BigInteger.TEN, sig(), p);
    assertFalse(refused.committed());
    assertTrue(p.receipt().isEmpty());
    // Rolled back after the receipt was written (the hook fails after it): neither the charge nor the seq stays.
    var failing = (io.infergate.host.payments.ledger.ChargeHook) (c, charged, amount) -> {
      p.inTransaction(c, charged, amount);
      throw new SQLException("simulated crash between storing the receipt and the commit");
    };
    assertThrows(RuntimeException.class,
        () -> ledger.recordChargeAndRelease(lease, s.version(), BigInteger.TWO, BigInteger.TEN, sig(), failing));
    assertEquals(BigInteger.ONE, ledger.get(channel(2)).orElseThrow().chargedCumulativeAmount());
    assertEquals(0, journal.lastSeq(KEY.address()));
    assertEquals(1, journal.count(KEY.address()));
    ledger.release(lease);
    StoredReceipt next = charge(ledger, issuer, channel(2), 1, Bytes32.keccak(new byte[] {2}));
    assertEquals(1, next.receipt().receipt().seq(), "the rolled-back number is reused: no gap");
  }

  @Test
  void concurrentChargesOnManyChannelsAndTwoHandlesNumberWithoutGaps() throws Exception {
    int channels = 6;
    int perChannel = 15;
    for (int c = 0; c < channels; c++) {
      fund(ledger, channel(100 + c));
    }
    try (ChannelLedger other = reopen()) {
      ReceiptIssuer otherIssuer = new ReceiptIssuer(ReceiptJournal.open(other), issuer.signer(), Clock.systemUTC());
      ExecutorService pool = Executors.newFixedThreadPool(channels);
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < channels; c++) {
        int ch = c;
        ChannelLedger l = c % 2 == 0 ? ledger : other;
        ReceiptIssuer iss = c % 2 == 0 ? issuer : otherIssuer;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perChannel; i++) {
            assertTrue(charge(l, iss, channel(100 + ch), 3, Bytes32.keccak(new byte[] {(byte) ch, (byte) i})) != null);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
    }
    List<StoredReceipt> all = journal.receipts(KEY.address(), 0, 1000);
    assertEquals(channels * perChannel, all.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i, all.get(i).receipt().receipt().seq(), "seq " + i);
      ids.add(all.get(i).id());
    }
    assertEquals(all.size(), ids.size());
    for (int c = 0; c < channels; c++) {
      List<StoredReceipt> mine = journal.byChannel(channel(100 + c), -1, 1000);
      assertEquals(perChannel, mine.size());
      for (int i = 0; i < perChannel; i++) {
        assertEquals(BigInteger.valueOf(3L * (i + 1)), mine.get(i).receipt().receipt().chargedCumulativeAmount());
      }
      // Paging: after the seq of the 5th, the next 5.
      long after = mine.get(4).receipt().receipt().seq();
      assertEquals(mine.subList(5, 10).stream().map(StoredReceipt::id).toList(),
          journal.byChannel(channel(100 + c), after, 5).stream().map(StoredReceipt::id).toList());
    }
  }

  @Test
  void batchesMoveThroughTheirStatesAndRefuseBadRanges() {
    fund(ledger, channel(3));
    for (int i = 0; i < 10; i++) {
      charge(ledger, issuer, channel(3), 1, Bytes32.keccak(new byte[] {(byte) i}));
    }
    Address signer = KEY.address();
    Bytes32 root = Bytes32.keccak(new byte[] {42});
    assertEquals(-1, journal.lastBatchedSeq(signer));
    assertThrows(IllegalStateException.class, () -> journal.prepareBatch(signer, 1, 3, root, 1000),
        "a batch must start right after the last batched seq");
    assertThrows(IllegalStateException.class, () -> journal.prepareBatch(signer, 0, 10, root, 1000),
        "a batch cannot reach past the journal");
    assertThrows(IllegalArgumentException.class, () -> journal.prepareBatch(signer, 3, 2, root, 1000));
    ReceiptLog.Batch b = journal.prepareBatch(signer, 0, 5, root, 1000);
    assertEquals(ReceiptLog.BatchStatus.PREPARED, b.status());
    assertEquals(5, journal.lastBatchedSeq(signer));
    assertThrows(IllegalStateException.class, () -> journal.prepareBatch(signer, 0, 5, root, 1000),
        "a range is batched once");
    journal.markSubmitted(b.id(), "0xabc");
    ReceiptLog.Batch submitted = journal.openBatches(signer).getFirst();
    assertEquals(ReceiptLog.BatchStatus.SUBMITTED, submitted.status());
    assertEquals("0xabc", submitted.transaction());
    journal.markFailed(b.id(), "reverted: nonce too low");
    ReceiptLog.Batch failed = journal.batchFor(signer, 3).orElseThrow();
    assertEquals(ReceiptLog.BatchStatus.PREPARED, failed.status());
    assertEquals(1, failed.attempts());
    assertEquals("reverted: nonce too low", failed.lastError());
    assertEquals(root, failed.root());
    journal.markSubmitted(b.id(), "0xdef");
    journal.markCommitted(b.id(), 7, 1234);
    ReceiptLog.Batch committed = journal.batchFor(signer, 0).orElseThrow();
    assertEquals(ReceiptLog.BatchStatus.COMMITTED, committed.status());
    assertEquals(7, committed.commitmentIndex());
    assertEquals(1234, committed.blockNumber());
    assertNull(committed.lastError());
    assertTrue(journal.openBatches(signer).isEmpty());
    assertThrows(IllegalStateException.class, () -> journal.markSubmitted(b.id(), "0x1"));
    assertThrows(IllegalStateException.class, () -> journal.markFailed(b.id(), "late"));
    assertThrows(IllegalStateException.class, () -> journal.markSubmitted(9999, "0x1"));
    assertTrue(journal.batchFor(signer, 6).isEmpty());
    ReceiptLog.Batch second = journal.prepareBatch(signer, 6, 9, root, 2000);
    assertEquals(List.of(second.id()), journal.openBatches(signer).stream().map(ReceiptLog.Batch::id).toList());
  }

  @Test
  void reopeningMigratesOnceAndKeepsEverything() {
    fund(ledger, channel(4));
    StoredReceipt r = charge(ledger, issuer, channel(4), 1, Bytes32.ZERO);
    ledger.close();
    ledger = reopenClosed();     // closed again after the test
    ReceiptJournal j = ReceiptJournal.open(ledger);
    assertEquals(r.toJson(), j.receipt(r.id()).orElseThrow().toJson());
  }
}
