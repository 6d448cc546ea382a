package io.infergate.host.payments.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.TestPostgres;
import io.infergate.host.payments.ledger.PostgresChannelLedger;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher's checkpoint lives in the ledger's database, in a table the ledger's migrations create. */
class WatcherCheckpointTest {
  @TempDir Path dir;

  @Test
  void aDatabaseTheLedgerHasNotMigratedIsRefusedWithAdvice() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> WatcherCheckpoint.sqlite(dir.resolve("empty.db")));
    assertTrue(e.getMessage().contains("open the channel ledger on it first"), e.getMessage());
  }

  @Test
  void onSqliteTheCheckpointSurvivesReopening() {
    Path file = dir.resolve("ledger.db");
    try (SqliteChannelLedger ledger = SqliteChannelLedger.open(file, Clock.systemUTC())) {
      roundTrip(() -> WatcherCheckpoint.sqlite(file));
    }
  }

  @Test
  void onPostgresTheCheckpointSurvivesReopening() {
    String url = TestPostgres.freshSchemaUrl();
    assertThrows(IllegalStateException.class, () -> WatcherCheckpoint.postgres(url), "not migrated yet");
    try (PostgresChannelLedger ledger = PostgresChannelLedger.open(url, 1, Clock.systemUTC())) {
      roundTrip(() -> WatcherCheckpoint.postgres(url));
    }
  }

  private static void roundTrip(java.util.function.Supplier<WatcherCheckpoint> open) {
    WatcherCheckpoint.Progress p = new WatcherCheckpoint.Progress(17, "0x" + "17".repeat(32));
    try (WatcherCheckpoint first = open.get()) {
      assertEquals(Optional.empty(), first.load("31337:0xabc"));
      first.save("31337:0xabc", p);
    }
    try (WatcherCheckpoint again = open.get()) {
      assertEquals(Optional.of(p), again.load("31337:0xabc"));
    }
  }
}
