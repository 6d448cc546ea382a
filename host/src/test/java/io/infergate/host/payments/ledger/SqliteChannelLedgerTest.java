package io.infergate.host.payments.ledger;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The ledger contract on a real SQLite file. */
class SqliteChannelLedgerTest extends ChannelLedgerContract {
  @TempDir
  Path dir;

  @Override
  protected String freshStorage() {
    return "sqlite:" + dir.resolve("ledger.db");
  }

  /** One process, one instance per file. */
  @Override
  protected boolean instancesShareStorage() {
    return false;
  }
}
