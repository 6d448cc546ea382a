package io.infergate.host.receipts.anchor;

import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** Anchoring the receipt journal of the embedded SQLite ledger. */
class SqliteReceiptAnchoringTest extends ReceiptAnchoringContract {
  @TempDir Path dir;

  @Override
  protected ChannelLedger openLedger() {
    return SqliteChannelLedger.open(dir.resolve("ledger.sqlite"), Clock.systemUTC());
  }
}
