package io.infergate.host.leadership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.TestPostgres;
import io.infergate.host.payments.chain.PeriodicTask;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leader election between replicas on a real PostgreSQL: each election is one replica's, with its own dedicated
 * connection, exactly as two nodes sharing a ledger would hold them.
 */
class AdvisoryLockElectionTest {
  private final String url = TestPostgres.freshSchemaUrl();
  private final List<AutoCloseable> toClose = new java.util.ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
  }

  @Test
  void ofTwoReplicasOnlyOneLeads() {
    AdvisoryLockElection a = election(url, LeaderRole.CLAIMS);
    AdvisoryLockElection b = election(url, LeaderRole.CLAIMS);
    assertTrue(a.lead());
    for (int tick = 0; tick < 5; tick++) {
      assertFalse(b.lead(), "the follower took a held lock");
      assertTrue(a.lead(), "the leader lost a lock nobody took");
    }
    assertTrue(b.status().holder().orElseThrow().contains("backend pid " + a.backendPid().orElseThrow()),
        b.status().toString());
    assertTrue(b.status().holder().get().contains("infergate claims leader"), b.status().toString());
    assertTrue(a.status().leader());
    assertTrue(a.status().since().isPresent());
  }

  @Test
  void eachRoleHasItsOwnLeaderAndEachLedgerItsOwnElection() {
    AdvisoryLockElection claims = election(url, LeaderRole.CLAIMS);
    AdvisoryLockElection anchoring = election(url, LeaderRole.ANCHORING);
    AdvisoryLockElection otherLedger = election(TestPostgres.freshSchemaUrl(), LeaderRole.CLAIMS);
    assertTrue(claims.lead());
    assertTrue(anchoring.lead(), "the anchoring lock is not the claims lock");
    assertTrue(otherLedger.lead(), "a ledger in another schema elects its own claims leader");
    assertNotEquals(claims.status().lockKey(), anchoring.status().lockKey());
    assertNotEquals(claims.status().lockKey(), otherLedger.status().lockKey());
  }

  /** The keys the operator guide documents, so operators can keep other advisory locks off them. */
  @Test
  void theDocumentedKeysOfSchemaPublic() {
    assertEquals(-4860962378311861387L, LeaderLockKey.of(LeaderRole.CLAIMS, "public").value());
    assertEquals(-2126113381661137500L, LeaderLockKey.of(LeaderRole.ANCHORING, "public").value());
  }

  @Test
  void closingHandsLeadershipOverAtTheOthersNextTick() {
    AdvisoryLockElection a = election(url, LeaderRole.ANCHORING);
    AdvisoryLockElection b = election(url, LeaderRole.ANCHORING);
    assertTrue(a.lead());
    assertFalse(b.lead());
    a.close();
    assertFalse(a.lead(), "a closed election never leads again");
    assertTrue(b.lead());
  }

  @Test
  void aLeaderWhoseConnectionIsKilledStepsDownAndTheOtherTakesOver() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AdvisoryLockElection a = track(AdvisoryLockElection.create(url, LeaderRole.CLAIMS,
        LeaderMetrics.create(registry, LeaderRole.CLAIMS)));
    AdvisoryLockElection b = election(url, LeaderRole.CLAIMS);
    assertTrue(a.lead());
    assertFalse(b.lead());
    assertEquals(1.0, registry.get("infergate_leader").tag("role", "claims").gauge().value());

    TestPostgres.terminateBackend(a.backendPid().orElseThrow());
    assertTrue(eventually(b::lead, Duration.ofSeconds(5)), "the follower did not take over");
    // The old leader believed it led until now; its next check finds the connection dead and it steps down.
    assertFalse(a.lead(), "the old leader still thinks it leads");
    assertFalse(a.leading());
    assertEquals(0.0, registry.get("infergate_leader").tag("role", "claims").gauge().value());
    assertEquals(1.0, registry.get("infergate_leader_changes_total").tags("role", "claims", "change", "lost")
        .counter().count());
    assertTrue(a.status().lastError().orElseThrow().contains("failed"), a.status().toString());
    // Next tick: it reconnects and stands by behind the new leader.
    assertFalse(a.lead());
    assertTrue(a.status().lastError().isEmpty(), a.status().toString());
    assertTrue(a.status().holder().orElseThrow().contains("backend pid " + b.backendPid().orElseThrow()));
    assertTrue(b.lead());
  }

  @Test
  void aReplicaThatLostItsConnectionRunsNoMoreRoundsWhileTheOtherTakesOver() throws Exception {
    AdvisoryLockElection a = election(url, LeaderRole.CLAIMS);
    AdvisoryLockElection b = election(url, LeaderRole.CLAIMS);
    AtomicInteger roundsOfA = new AtomicInteger();
    AtomicInteger roundsOfB = new AtomicInteger();
    assertTrue(a.lead());
    try (PeriodicTask ta = PeriodicTask.start("rounds-a", Duration.ofMillis(50), Duration.ofSeconds(5),
            a.gate(roundsOfA::incrementAndGet));
         PeriodicTask tb = PeriodicTask.start("rounds-b", Duration.ofMillis(50), Duration.ofSeconds(5),
            b.gate(roundsOfB::incrementAndGet))) {
      assertTrue(eventually(() -> roundsOfA.get() >= 5, Duration.ofSeconds(5)));
      assertEquals(0, roundsOfB.get(), "the follower ran rounds while the leader held the lock");

      int pid = a.backendPid().orElseThrow();
      long killedAt = System.nanoTime();
      TestPostgres.terminateBackend(pid);
      assertTrue(eventually(() -> roundsOfB.get() >= 1, Duration.ofSeconds(5)), "nobody took over");
      long takeOverMillis = (System.nanoTime() - killedAt) / 1_000_000;
      int aAtTakeOver = roundsOfA.get();
      assertTrue(eventually(() -> roundsOfB.get() >= 10, Duration.ofSeconds(5)));
      assertEquals(aAtTakeOver, roundsOfA.get(), "the old leader ran rounds after the other took over");
      assertFalse(a.leading());
      assertTrue(takeOverMillis < 2_000, "take-over took " + takeOverMillis + " ms at 50 ms ticks");
    }
  }

  @Test
  void aLeaderKilledWithSigkillReleasesLeadership() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path stderr = dir.resolve("leader-child.log");
    Process child = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        LeaderChild.class.getName(), url, LeaderRole.ANCHORING.name())).redirectError(stderr.toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertTrue(line != null && line.startsWith("leading "), "the child did not lead: " + line + "\n"
          + Files.readString(stderr));
      AdvisoryLockElection parent = election(url, LeaderRole.ANCHORING);
      assertFalse(parent.lead(), "the parent leads while the child holds the lock");
      assertTrue(parent.status().holder().orElseThrow().contains("backend pid " + line.substring(8)));

      child.toHandle().destroyForcibly();    // SIGKILL: nothing in the child unlocks anything
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertTrue(eventually(parent::lead, Duration.ofSeconds(10)), "the dead child's lock was never released");
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSqliteLedgerIsAlwaysItsOwnLeader() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LeaderElection e = LeaderElection.forLedger(dir.resolve("ledger.sqlite").toString(), LeaderRole.CLAIMS, registry);
    assertTrue(e instanceof SingleNodeElection);
    assertTrue(e.lead());
    assertTrue(e.leading());
    assertEquals("single-node", e.status().election());
    assertEquals(1.0, registry.get("infergate_leader").tag("role", "claims").gauge().value());
    AtomicInteger rounds = new AtomicInteger();
    e.gate(rounds::incrementAndGet).run();
    assertEquals(1, rounds.get());
  }

  private AdvisoryLockElection election(String ledgerUrl, LeaderRole role) {
    return track(AdvisoryLockElection.create(ledgerUrl, role, LeaderMetrics.none(role)));
  }

  private <T extends AutoCloseable> T track(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private static boolean eventually(BooleanSupplier condition, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }
}
