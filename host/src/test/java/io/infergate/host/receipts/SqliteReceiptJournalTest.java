package io.infergate.host.receipts;

import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The receipt journal in the embedded SQLite ledger. */
class SqliteReceiptJournalTest extends ReceiptJournalContract {
  @TempDir Path dir;

  @Override
  protected ChannelLedger openLedger() {
    return SqliteChannelLedger.open(dir.resolve("ledger.sqlite"), Clock.systemUTC());
  }

  @Override
  protected ChannelLedger reopen() {
    return SqliteChannelLedger.open(dir.resolve("ledger.sqlite"), Clock.systemUTC());
  }
}
