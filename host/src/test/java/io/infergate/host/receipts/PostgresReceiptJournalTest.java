package io.infergate.host.receipts;

import io.infergate.host.fixtures.TestPostgres;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.PostgresChannelLedger;
import java.time.Clock;

/** The receipt journal on a real PostgreSQL server, with two ledger instances standing for two replicas. */
class PostgresReceiptJournalTest extends ReceiptJournalContract {
  private String url;

  @Override
  protected ChannelLedger openLedger() {
    url = TestPostgres.freshSchemaUrl();
    return PostgresChannelLedger.open(url, PostgresChannelLedger.DEFAULT_POOL_SIZE, Clock.systemUTC());
  }

  @Override
  protected ChannelLedger reopen() {
    return PostgresChannelLedger.open(url, PostgresChannelLedger.DEFAULT_POOL_SIZE, Clock.systemUTC());
  }
}
