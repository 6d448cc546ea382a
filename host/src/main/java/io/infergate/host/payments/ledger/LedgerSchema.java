package io.infergate.host.payments.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Forward-only schema migrations, recorded in {@code schema_version(component, version)} so several
 * components (the ledger now, the receipt journal later) evolve their tables independently in one database.
 * Migrations run inside the caller's write transaction, which the caller has made exclusive (SQLite
 * {@code BEGIN IMMEDIATE}; PostgreSQL takes an advisory lock here), so replicas starting together migrate
 * once. A database newer than this code is refused rather than guessed at.
 */
final class LedgerSchema {
  static final String COMPONENT = "ledger";

  static final List<SchemaMigration> MIGRATIONS = List.of(
      new SchemaMigration(1, "channels, leases, receivers", List.of(
          """
          CREATE TABLE ledger_channels (
            channel_id TEXT PRIMARY KEY,
            payer TEXT NOT NULL,
            payer_authorizer TEXT NOT NULL,
            receiver TEXT NOT NULL,
            receiver_authorizer TEXT NOT NULL,
            token TEXT NOT NULL,
            withdraw_delay BIGINT NOT NULL,
            salt TEXT NOT NULL,
            charged_cumulative ${UINT128} NOT NULL,
            signed_max_claimable ${UINT128} NOT NULL,
            voucher_signature ${BYTES},
            voucher_signer TEXT,
            balance ${UINT128} NOT NULL,
            total_claimed ${UINT128} NOT NULL,
            withdraw_requested_at BIGINT NOT NULL,
            refund_nonce ${UINT256} NOT NULL,
            last_event_block BIGINT NOT NULL,
            claim_submitted_up_to ${UINT128} NOT NULL,
            claim_tx_hash TEXT,
            claim_submitted_at_ms BIGINT,
            claim_attempts INTEGER NOT NULL,
            claim_confirmed_up_to ${UINT128} NOT NULL,
            claim_last_error TEXT,
            version BIGINT NOT NULL CHECK (version >= 1),
            created_at_ms BIGINT NOT NULL,
            updated_at_ms BIGINT NOT NULL,
            CHECK (charged_cumulative <= signed_max_claimable)
          )""",
          "CREATE INDEX ledger_channels_claim_tx ON ledger_channels (claim_tx_hash)",
          """
          CREATE TABLE ledger_leases (
            channel_id TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            fencing_token BIGINT NOT NULL,
            acquired_at_ms BIGINT NOT NULL,
            expires_at_ms BIGINT NOT NULL
          )""",
          """
          CREATE TABLE ledger_receivers (
            receiver TEXT NOT NULL,
            token TEXT NOT NULL,
            total_claimed ${UINT128} NOT NULL,
            total_settled ${UINT128} NOT NULL,
            last_event_block BIGINT NOT NULL,
            PRIMARY KEY (receiver, token)
          )""")),
      // Before version 2 the chain watcher created this table itself, outside any migration; a database that
      // already has it keeps it and its rows (same columns).
      new SchemaMigration(2, "chain watcher checkpoint", List.of(
          """
          CREATE TABLE IF NOT EXISTS chain_watcher_progress (
            watcher TEXT PRIMARY KEY,
            block BIGINT NOT NULL,
            block_hash TEXT NOT NULL,
            updated_at_ms BIGINT NOT NULL
          )""")),
      // Every transaction that may carry a claim in flight: the original (attempt 0, whose hash stays the
      // claim's key in ledger_channels.claim_tx_hash) and its fee-bumped replacements. Claims already in flight
      // get their original as attempt 0.
      new SchemaMigration(3, "claim transactions and their replacements", List.of(
          """
          CREATE TABLE ledger_claim_txs (
            tx_hash TEXT PRIMARY KEY,
            claim_tx_hash TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            sent_at_ms BIGINT NOT NULL,
            UNIQUE (claim_tx_hash, attempt)
          )""",
          """
          INSERT INTO ledger_claim_txs (tx_hash, claim_tx_hash, attempt, sent_at_ms)
            SELECT claim_tx_hash, claim_tx_hash, 0, MIN(COALESCE(claim_submitted_at_ms, 0))
            FROM ledger_channels WHERE claim_tx_hash IS NOT NULL GROUP BY claim_tx_hash""")),
      // What the node's keys broadcast and do not know mined yet, one row per transaction hash (an original and
      // its replacements share a nonce; SentTransactionJournal in the chain package): written before each
      // broadcast, so a transaction a crashed run left stuck at the head of the key's nonce queue is still known,
      // and replaced, after a restart. Rows are only added per hash, so replicas sharing one key never overwrite
      // each other's.
      new SchemaMigration(4, "transactions sent and not known mined", List.of(
          """
          CREATE TABLE sent_transactions (
            sender TEXT NOT NULL,
            nonce BIGINT NOT NULL CHECK (nonce >= 0),
            tx_hash TEXT NOT NULL,
            kind TEXT NOT NULL,
            description TEXT NOT NULL,
            sent_at_ms BIGINT NOT NULL,
            PRIMARY KEY (sender, nonce, tx_hash)
          )""")));

  private LedgerSchema() {}

  static int latestVersion() {
    return MIGRATIONS.getLast().version();
  }

  /** Brings the ledger's schema to {@link #latestVersion()}; returns the version found before. */
  static int migrate(Connection c, Map<String, String> types, long nowMillis) throws SQLException {
    return migrate(c, COMPONENT, MIGRATIONS, types, nowMillis);
  }

  /** Brings {@code component}'s schema to its last migration; returns the version found before. */
  static int migrate(Connection c, String component, List<SchemaMigration> migrations, Map<String, String> types,
      long nowMillis) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (component TEXT NOT NULL, version INTEGER NOT NULL,"
          + " description TEXT NOT NULL, applied_at_ms BIGINT NOT NULL, PRIMARY KEY (component, version))");
    }
    int found = currentVersion(c, component);
    int latest = migrations.getLast().version();
    if (found > latest) {
      throw new LedgerException("the " + component + " tables have schema version " + found + " but this Infergate"
          + " knows only up to " + latest + "; run a newer Infergate or point it at another database");
    }
    for (SchemaMigration m : migrations) {
      if (m.version() > found) {
        apply(c, component, m, types, nowMillis);
      }
    }
    return found;
  }

  static int currentVersion(Connection c) throws SQLException {
    return currentVersion(c, COMPONENT);
  }

  static int currentVersion(Connection c, String component) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT COALESCE(MAX(version), 0) FROM schema_version WHERE component = ?")) {
      ps.setString(1, component);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static void apply(Connection c, String component, SchemaMigration m, Map<String, String> types,
      long nowMillis) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String ddl : m.statements()) {
        String sql = ddl;
        for (Map.Entry<String, String> t : types.entrySet()) {
          sql = sql.replace("${" + t.getKey() + "}", t.getValue());
        }
        s.execute(sql);
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO schema_version (component, version, description, applied_at_ms) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, component);
      ps.setInt(2, m.version());
      ps.setString(3, m.description());
      ps.setLong(4, nowMillis);
      ps.executeUpdate();
    }
  }
}
