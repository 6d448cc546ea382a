package io.infergate.host.payments.ledger;

import static io.infergate.host.payments.ledger.TestLedgers.CONFIG;
import static io.infergate.host.payments.ledger.TestLedgers.channelId;
import static io.infergate.host.payments.ledger.TestLedgers.signatureFor;
import static io.infergate.host.payments.ledger.TestLedgers.txHash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.ManualClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What owning its file lets the SQLite ledger do, and what it costs others: a second opener is refused (in this JVM
 * and from another process) until the owner closes or dies; leases live in memory with the contract's expiry and
 * fencing; and the channel states it remembers never hide a change made by any write other than a charge.
 */
class SqliteLedgerOwnershipTest {
  static final Duration TTL = Duration.ofSeconds(30);
  static final String ID = channelId(1);

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  Path file;
  SqliteChannelLedger ledger;

  @BeforeEach
  void open() {
    file = dir.resolve("ledger.db");
    ledger = SqliteChannelLedger.open(file, clock);
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  private ChargeResult charge(ChannelLease lease, long version, long charged) {
    BigInteger amount = BigInteger.valueOf(charged);
    return ledger.recordCharge(lease, version, amount, amount, signatureFor(amount));
  }

  // ---- one owner

  @Test
  void aSecondInstanceInThisProcessIsRefusedUntilTheFirstCloses() throws Exception {
    ledger.upsertChannel(ID, CONFIG);
    LedgerException e = assertThrows(LedgerException.class, () -> SqliteChannelLedger.open(file, clock));
    String m = e.getMessage();
    assertTrue(m.contains(file.toRealPath().toString()), "names the file: " + m);
    assertTrue(m.contains("pid " + ProcessHandle.current().pid()), "names the holder: " + m);
    assertTrue(m.contains("Stop the other node") && m.contains("payments.ledger=jdbc:postgresql:"),
        "says what to do: " + m);
    assertThrows(LedgerException.class, () -> SqliteChannelLedger.open(dir.resolve(".").resolve("ledger.db"), clock),
        "another spelling of the same path is the same file");

    ledger.close();
    ledger = SqliteChannelLedger.open(file, clock);      // a restart in the same JVM
    assertEquals(1, ledger.get(ID).orElseThrow().version());
    try (SqliteChannelLedger other = SqliteChannelLedger.open(dir.resolve("other.db"), clock)) {
      assertTrue(other.get(ID).isEmpty(), "another file is another ledger");
    }
  }

  @Test
  void anotherProcessIsRefusedWhileTheOwnerLivesAndTheFileOpensOnceItIsKilled() throws Exception {
    ledger.upsertChannel(ID, CONFIG);
    ledger.close();
    Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LedgerCrashChild.class.getName(), "sqlite:" + file, ID, "child",
        "60")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertTrue(first != null && first.startsWith("leased "), "the child opened the ledger: " + first);

      LedgerException e = assertThrows(LedgerException.class, () -> SqliteChannelLedger.open(file, clock));
      assertTrue(e.getMessage().contains("another process (pid " + child.pid()), e.getMessage());

      child.toHandle().destroyForcibly();     // kill -9, mid-charge
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    ledger = SqliteChannelLedger.open(file, clock);       // the OS freed the dead child's lock: no manual unlock
    ChannelLease lease = ledger.acquire(ID, "parent", TTL);     // and its lease died with it
    ChannelState s = ledger.get(ID).orElseThrow();
    assertTrue(charge(lease, s.version(), s.chargedCumulativeAmount().longValue() + 1).committed());
  }

  // ---- leases in memory

  @Test
  void anExpiredLeaseCannotBeTakenOverWhileItsChargeIsInItsTransaction() {
    ledger.upsertChannel(ID, CONFIG);
    ChannelLease lease = ledger.acquire(ID, "slow", TTL);
    clock.advance(TTL.plusSeconds(1));
    AtomicReference<RuntimeException> duringCharge = new AtomicReference<>();
    ChargeResult r = ledger.recordChargeAndRelease(lease, 1, BigInteger.TEN, BigInteger.TEN,
        signatureFor(BigInteger.TEN), (c, charged, amount) -> {
          try {
            ledger.acquire(ID, "taker", TTL);
          } catch (RuntimeException e) {
            duringCharge.set(e);
          }
        });
    assertTrue(r.committed(), "expired, but nobody took it over: it commits");
    assertInstanceOf(ChannelBusyException.class, duringCharge.get(), "no takeover while the charge commits");
    ChannelLease next = ledger.acquire(ID, "taker", TTL);
    assertTrue(next.fencingToken() > lease.fencingToken(), "free once the charge committed, and fenced");
  }

  @Test
  void aTakenOverLeaseIsFencedAndARestartForgetsEveryLease() {
    ledger.upsertChannel(ID, CONFIG);
    ChannelLease stale = ledger.acquire(ID, "stalled", TTL);
    clock.advance(TTL);
    ChannelLease fresh = ledger.acquire(ID, "new", TTL);
    assertEquals(ChargeResult.Reason.LEASE_LOST,
        assertInstanceOf(ChargeResult.Refused.class, charge(stale, 1, 5)).reason());
    ledger.release(stale);
    assertThrows(ChannelBusyException.class, () -> ledger.acquire(ID, "third", TTL), "a stale release frees nothing");

    ledger.close();
    ledger = SqliteChannelLedger.open(file, clock);
    ChannelLease afterRestart = ledger.acquire(ID, "third", TTL);       // nobody alive holds anything
    assertEquals(ChargeResult.Reason.LEASE_LOST,
        assertInstanceOf(ChargeResult.Refused.class, charge(fresh, 1, 5)).reason(),
        "a lease from before the restart never matches one taken after it");
    assertTrue(charge(afterRestart, 1, 5).committed());
  }

  // ---- remembered channel states

  @Test
  void chainSideWritesAreSeenByTheNextChargeAndAStaleVersionIsRefused() {
    ledger.upsertChannel(ID, CONFIG);
    ChannelLedger.Leased leased = ledger.acquireAndGet(ID, "gate", TTL);
    long verified = leased.state().orElseThrow().version();

    // the chain watcher mirrors a deposit while the call runs
    ledger.applyChainState(ID, BigInteger.valueOf(500), BigInteger.ZERO, 0, BigInteger.ZERO, 7);
    ChargeResult.Refused stale = assertInstanceOf(ChargeResult.Refused.class, charge(leased.lease(), verified, 10));
    assertEquals(ChargeResult.Reason.STALE_VERSION, stale.reason());
    ChannelState now = stale.current().orElseThrow();
    assertEquals(BigInteger.valueOf(500), now.chain().balance());
    assertEquals(now, ledger.get(ID).orElseThrow());

    ChargeResult.Committed c =
        assertInstanceOf(ChargeResult.Committed.class, charge(leased.lease(), now.version(), 10));
    ledger.release(leased.lease());

    // a claim is marked (the claim scheduler): the next charge starts from the claim's state, not a remembered one
    ledger.markClaimSubmitted(List.of(new ClaimSubmission(ID, BigInteger.TEN)), txHash(1));
    ledger.cacheVoucherSigner(ID, "0x2222222222222222222222222222222222222222");
    ChannelLedger.Leased again = ledger.acquireAndGet(ID, "gate", TTL);
    ChannelState before = again.state().orElseThrow();
    assertEquals(c.state().version(), before.version(), "claims and signers do not bump the version");
    assertEquals(txHash(1), before.claim().txHash().orElseThrow());
    ChargeResult.Committed second = assertInstanceOf(ChargeResult.Committed.class,
        charge(again.lease(), before.version(), 20));
    assertEquals(txHash(1), second.state().claim().txHash().orElseThrow(), "the charged state keeps the claim");
    assertEquals("0x2222222222222222222222222222222222222222", second.state().voucherSigner().orElseThrow());
    assertEquals(1, ledger.markClaimConfirmed(txHash(1)));
    ChannelState confirmed = ledger.get(ID).orElseThrow();
    assertTrue(confirmed.claim().txHash().isEmpty());
    assertEquals(BigInteger.TEN, confirmed.unclaimed());

    ledger.close();
    ledger = SqliteChannelLedger.open(file, clock);
    assertEquals(confirmed, ledger.get(ID).orElseThrow(), "what it remembered is what the file holds");
  }

  @Test
  void aWriteOfAnotherComponentThroughTheLedgersDatabaseIsSeenToo() {
    ledger.upsertChannel(ID, CONFIG);
    ledger.get(ID).orElseThrow();
    ledger.database().write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_channels SET version = version + 5")) {
        return ps.executeUpdate();
      }
    });
    assertEquals(6, ledger.get(ID).orElseThrow().version());
  }

  @Test
  void anotherConnectionCannotWriteTheFileBehindTheLedgersBack() throws Exception {
    ledger.upsertChannel(ID, CONFIG);
    ChannelLedger.Leased leased = ledger.acquireAndGet(ID, "gate", TTL);
    // An operator's sqlite3 shell, say: the ledger's connection holds the file exclusively, so the write is refused
    // (busy) instead of changing a row the ledger remembers.
    java.sql.SQLException e = assertThrows(java.sql.SQLException.class, () -> {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 200");
        s.executeUpdate("UPDATE ledger_channels SET version = 9");
      }
    });
    assertTrue(e.getMessage().contains("locked") || e.getMessage().contains("busy"), e.getMessage());
    assertTrue(charge(leased.lease(), 1, 10).committed(), "the node charges on");
    assertEquals(2, ledger.get(ID).orElseThrow().version());
  }


  @Test
  void aChargeThatRollsBackLeavesNothingRemembered() {
    ledger.upsertChannel(ID, CONFIG);
    ChannelLease lease = ledger.acquire(ID, "gate", TTL);
    assertThrows(IllegalStateException.class, () -> ledger.recordChargeAndRelease(lease, 1, BigInteger.TEN,
        BigInteger.TEN, signatureFor(BigInteger.TEN), (c, charged, amount) -> {
          throw new IllegalStateException("the receipt could not be written");
        }));
    ChannelState s = ledger.get(ID).orElseThrow();
    assertEquals(1, s.version());
    assertEquals(BigInteger.ZERO, s.chargedCumulativeAmount());
    assertThrows(ChannelBusyException.class, () -> ledger.acquire(ID, "other", TTL), "a failed charge keeps the lease");
    assertTrue(charge(lease, 1, 10).committed());
  }
}
