package io.infergate.host.receipts.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.TestPostgres;
import io.infergate.host.leadership.AdvisoryLockElection;
import io.infergate.host.leadership.LeaderMetrics;
import io.infergate.host.leadership.LeaderRole;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.PostgresChannelLedger;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Anchoring the receipt journal of a PostgreSQL ledger (the CI server, or a private one started for the tests). */
class PostgresReceiptAnchoringTest extends ReceiptAnchoringContract {
  private String ledgerUrl;

  @Override
  protected ChannelLedger openLedger() {
    ledgerUrl = TestPostgres.freshSchemaUrl();
    return PostgresChannelLedger.open(ledgerUrl, PostgresChannelLedger.DEFAULT_POOL_SIZE, Clock.systemUTC());
  }

  /**
   * An anchoring leader whose lock connection was cut still believes it leads when its round starts; the round asks
   * again before each batch and commits nothing while another replica leads, and commits once it leads again.
   */
  @Test
  void anAnchorerThatLostItsLockCommitsNothingWhileAnotherReplicaLeads() throws Exception {
    bed.register(key);
    issue(5);
    AdvisoryLockElection mine = AdvisoryLockElection.create(ledgerUrl, LeaderRole.ANCHORING,
        LeaderMetrics.none(LeaderRole.ANCHORING));
    try (AdvisoryLockElection other = AdvisoryLockElection.create(ledgerUrl, LeaderRole.ANCHORING,
            LeaderMetrics.none(LeaderRole.ANCHORING));
         ReceiptAnchorer anchorer = ReceiptAnchorer.create(journal.log(), bed.contract(key), options(), clock, metrics,
            mine)) {
      assertTrue(mine.lead());
      TestPostgres.terminateBackend(mine.backendPid().orElseThrow());
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!other.lead()) {
        assertTrue(System.nanoTime() < deadline, "the other replica never took over");
        Thread.sleep(20);
      }
      assertTrue(mine.leading(), "not asked since: it still believes it leads");

      ReceiptAnchorer.Round lost = anchorer.runOnce();
      assertTrue(lost.committed().isEmpty() && lost.failed().isEmpty(), lost.toString());
      assertEquals(0, commitmentsOnChain());
      assertFalse(mine.leading());
      assertFalse(anchorer.status().leader().leader());

      other.close();
      ReceiptAnchorer.Round regained = anchorer.runOnce();
      assertEquals(1, regained.committed().size(), regained.toString());
      assertEquals(1, commitmentsOnChain());
      assertTrue(anchorer.status().leader().leader());
    }
  }
}
