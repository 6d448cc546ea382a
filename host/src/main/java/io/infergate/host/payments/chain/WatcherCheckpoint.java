package io.infergate.host.payments.chain;

import io.infergate.host.payments.ledger.LedgerDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the {@link ChainWatcher} has got to: the last block it processed and that block's hash (to notice a
 * reorg under it), one row per (chain, contract) in table {@code chain_watcher_progress} of the ledger's own
 * database, so the mirror and its progress live and die together. The row is written only after the block's
 * events were applied to the ledger; applying is idempotent, so a crash in between only repeats work.
 *
 * <p>The table is created by the ledger's schema migrations (ledger version 2), so open the ledger on the
 * database first; opening a checkpoint on a database the ledger has not migrated is refused with that advice.
 */
public final class WatcherCheckpoint implements AutoCloseable {
  /** The ledger schema version whose migration creates {@code chain_watcher_progress}. */
  static final int LEDGER_SCHEMA_WITH_CHECKPOINT = 2;

  private final String jdbcUrl;      // null: through the ledger's own database
  private final boolean sqlite;
  private final LedgerDatabase database;
  private Connection connection;

  private WatcherCheckpoint(String jdbcUrl, boolean sqlite, LedgerDatabase database) {
    this.jdbcUrl = jdbcUrl;
    this.sqlite = sqlite;
    this.database = database;
  }

  /**
   * The checkpoint in the ledger's own database, on the ledger's connections and transactions: what a node uses.
   * A SQLite ledger holds its file exclusively ({@code locking_mode=EXCLUSIVE}), so a second connection could not
   * open it; on PostgreSQL it shares the ledger's pool.
   */
  public static WatcherCheckpoint in(LedgerDatabase database) {
    WatcherCheckpoint c = new WatcherCheckpoint(null, database.dialect() == LedgerDatabase.Dialect.SQLITE,
        Objects.requireNonNull(database, "database"));
    c.requireMigrated();
    return c;
  }

  /** The checkpoint in the PostgreSQL database the ledger uses ({@code jdbc:postgresql://...}). */
  public static WatcherCheckpoint postgres(String jdbcUrl) {
    return open(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), false);
  }

  private static WatcherCheckpoint open(String url, boolean sqlite) {
    WatcherCheckpoint c = new WatcherCheckpoint(url, sqlite, null);
    try {
      c.requireMigrated();
    } catch (IllegalStateException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void requireMigrated() {
    int version = read(conn -> {
      try (Statement s = conn.createStatement();
           ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version"
               + " WHERE component = 'ledger'")) {
        return rs.next() ? rs.getInt(1) : 0;
      } catch (SQLException e) {
        return 0;   // no schema_version table: not a ledger database (yet)
      }
    });
    if (version < LEDGER_SCHEMA_WITH_CHECKPOINT) {
      throw new IllegalStateException("the chain watcher checkpoint lives in the channel ledger's database, but "
          + redacted() + " has ledger schema version " + version + " (the checkpoint table arrives with version "
          + LEDGER_SCHEMA_WITH_CHECKPOINT + "); open the channel ledger on it first, which migrates the schema");
    }
  }

  /** A processed block. */
  public record Progress(long block, String hash) {}

  /** The last processed block of {@code watcher} (a name such as {@code 31337:0x4020...}), if any. */
  public Optional<Progress> load(String watcher) {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT block, block_hash FROM chain_watcher_progress WHERE watcher = ?")) {
        ps.setString(1, watcher);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new Progress(rs.getLong(1), rs.getString(2))) : Optional.<Progress>empty();
        }
      }
    });
  }

  /** Records {@code progress} durably (moving backwards too: that is how a reorg rewinds). */
  public void save(String watcher, Progress progress) {
    write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO chain_watcher_progress (watcher, block, block_hash,"
          + " updated_at_ms) VALUES (?, ?, ?, ?) ON CONFLICT (watcher) DO UPDATE SET block = excluded.block,"
          + " block_hash = excluded.block_hash, updated_at_ms = excluded.updated_at_ms")) {
        ps.setString(1, watcher);
        ps.setLong(2, progress.block());
        ps.setString(3, progress.hash());
        ps.setLong(4, System.currentTimeMillis());
        return ps.executeUpdate();
      }
    });
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(Work<T> work) {
    return database != null ? database.read(work::run) : run(work);
  }

  private <T> T write(Work<T> work) {
    return database != null ? database.write(work::run) : run(work);
  }

  private synchronized <T> T run(Work<T> work) {
    try {
      if (connection == null || connection.isClosed()) {
        connection = DriverManager.getConnection(jdbcUrl);
        if (sqlite) {
          try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
          }
        }
      }
      return work.run(connection);
    } catch (SQLException e) {
      closeQuietly();
      throw new IllegalStateException("chain watcher checkpoint in " + redacted() + " failed: " + e.getMessage(), e);
    }
  }

  private String redacted() {
    return jdbcUrl == null ? "the ledger's database" : jdbcUrl.replaceAll("password=[^&]*", "password=***");
  }

  private void closeQuietly() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException ignored) {
      // a broken connection is dropped either way
    }
    connection = null;
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }
}
