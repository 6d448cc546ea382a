package io.infergate.host.payments.ledger;

import io.infergate.host.fixtures.TestPostgres;

/** The ledger contract on a real PostgreSQL server (see {@link TestPostgres}). */
class PostgresChannelLedgerTest extends ChannelLedgerContract {
  @Override
  protected String freshStorage() {
    return "postgres:" + TestPostgres.freshSchemaUrl();
  }

  /** Every step on one channel is a synchronous commit under the same row lock: keep the run short. */
  @Override
  protected int hammerAttempts() {
    return 60;
  }

  /** Replicas share one database. */
  @Override
  protected boolean instancesShareStorage() {
    return true;
  }
}
