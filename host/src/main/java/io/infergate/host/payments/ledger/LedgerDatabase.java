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

  /**
   * Runs {@code work}, which is not a database transaction (a chain RPC, a signature and a broadcast), while holding
   * {@code name} exclusively among every process using this database: on PostgreSQL a session advisory lock on a
   * connection kept for these locks (never one of the pool's), so replicas sharing a key never race on its nonces; on
   * SQLite, which one process owns, the work runs at once (the caller orders its own threads). Throws
   * {@link LedgerException} when the lock cannot be taken; {@code work} has then not run.
   */
  default <T> T exclusively(String name, java.util.function.Supplier<T> work) {
    return work.get();
  }
}
