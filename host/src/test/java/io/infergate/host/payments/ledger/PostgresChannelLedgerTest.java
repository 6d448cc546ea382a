package io.infergate.host.payments.ledger;

/** The ledger contract on a real PostgreSQL server (see {@link TestPostgres}). */
class PostgresChannelLedgerTest extends ChannelLedgerContract {
  @Override
  protected String freshStorage() {
    return "postgres:" + TestPostgres.freshSchemaUrl();
  }
}
