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
  protected ChannelLedger reopenClosed() {
    return SqliteChannelLedger.open(dir.resolve("ledger.sqlite"), Clock.systemUTC());
  }

  /**
   * A SQLite file has one ledger instance at a time (a second open is refused): the "other handle" is the test's own
   * instance, behind a close() that does nothing.
   */
  @Override
  protected ChannelLedger reopen() {
    ChannelLedger same = ledger;
    return (ChannelLedger) java.lang.reflect.Proxy.newProxyInstance(ChannelLedger.class.getClassLoader(),
        new Class<?>[] {ChannelLedger.class}, (proxy, m, args) -> {
          if (m.getName().equals("close")) {
            return null;
          }
          try {
            return m.invoke(same, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
