package io.infergate.host.payments.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.TestPostgres;
import io.infergate.host.payments.ledger.ChannelLedger;
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
  void onSqliteTheCheckpointSurvivesReopeningTheLedger() {
    Path file = dir.resolve("ledger.db");
    roundTrip(() -> SqliteChannelLedger.open(file, Clock.systemUTC()));
  }

  @Test
  void aSecondConnectionCannotOpenARunningSqliteLedgerFile() {
    Path file = dir.resolve("ledger.db");
    try (SqliteChannelLedger ledger = SqliteChannelLedger.open(file, Clock.systemUTC())) {
      ledger.database().write(c -> 0);   // the exclusive lock is taken with the first write
      Exception e = assertThrows(Exception.class, () -> {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             var s = c.createStatement()) {
          s.execute("PRAGMA busy_timeout = 100");
          s.executeQuery("SELECT COUNT(*) FROM ledger_channels").close();
        }
      });
      assertTrue(e.getMessage().contains("locked") || e.getMessage().contains("busy"), e.getMessage());
    }
  }

  @Test
  void onPostgresTheCheckpointSurvivesReopeningTheLedger() {
    String url = TestPostgres.freshSchemaUrl();
    roundTrip(() -> PostgresChannelLedger.open(url, 1, Clock.systemUTC()));
  }

  /** Saved through one ledger instance, read back through the next one on the same database. */
  private static void roundTrip(java.util.function.Supplier<ChannelLedger> openLedger) {
    WatcherCheckpoint.Progress p = new WatcherCheckpoint.Progress(17, "0x" + "17".repeat(32));
    try (ChannelLedger ledger = openLedger.get(); WatcherCheckpoint first = WatcherCheckpoint.in(ledger.database())) {
      assertEquals(Optional.empty(), first.load("31337:0xabc"));
      first.save("31337:0xabc", p);
    }
    try (ChannelLedger ledger = openLedger.get(); WatcherCheckpoint again = WatcherCheckpoint.in(ledger.database())) {
      assertEquals(Optional.of(p), again.load("31337:0xabc"));
    }
  }
}
