package io.infergate.host.payments.ledger;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole ledger contract on SQLite with {@code payments.ledger-fsync=false}: charges answered before an fsync
 * must still survive {@code kill -9} of the process (the contract's crash test kills a child JVM mid-charge).
 */
class SqliteWithoutFsyncLedgerTest extends ChannelLedgerContract {
  @TempDir
  Path dir;

  @Override
  protected String freshStorage() {
    return "sqlite-nofsync:" + dir.resolve("ledger.db");
  }

  /** One process, one instance per file. */
  @Override
  protected boolean instancesShareStorage() {
    return false;
  }
}
