package io.infergate.host.payments.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The database a {@link ChannelLedger} lives in, for components that keep their own tables next to the ledger
 * (the receipt journal): the same connections, the same transaction discipline (SQLite: one writer,
 * {@code BEGIN IMMEDIATE}, group-committed fsync; PostgreSQL: READ COMMITTED, row locks, synchronous commit) and
 * forward-only migrations recorded per component in {@code schema_version}.
 */
public interface LedgerDatabase {

  /** Which SQL dialect the tables are in. */
  enum Dialect { SQLITE, POSTGRESQL }

  /** One unit of work inside a transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  Dialect dialect();

  /** Runs {@code work} in one write transaction, durable (fsynced) before this returns. */
  <T> T write(Work<T> work);

  /** Runs {@code work} on a consistent snapshot. */
  <T> T read(Work<T> work);

  /**
   * Brings {@code component}'s tables to its latest migration, exclusively (replicas starting together migrate
   * once). DDL placeholders: {@code ${UINT128}}, {@code ${UINT256}}, {@code ${BYTES}}, {@code ${ID}} (an
   * auto-generated {@code BIGINT} primary key), {@code ${WITHOUT_ROWID}} (after a table's closing parenthesis: SQLite's
   * {@code WITHOUT ROWID}, nothing on PostgreSQL).
   */
  void migrate(String component, List<SchemaMigration> migrations);
}
