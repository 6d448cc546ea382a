package io.infergate.host.receipts.anchor;

import io.infergate.host.fixtures.TestPostgres;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.PostgresChannelLedger;
import java.time.Clock;

/** Anchoring the receipt journal of a PostgreSQL ledger (the CI server, or a private one started for the tests). */
class PostgresReceiptAnchoringTest extends ReceiptAnchoringContract {
  @Override
  protected ChannelLedger openLedger() {
    return PostgresChannelLedger.open(TestPostgres.freshSchemaUrl(), PostgresChannelLedger.DEFAULT_POOL_SIZE,
        Clock.systemUTC());
  }
}
