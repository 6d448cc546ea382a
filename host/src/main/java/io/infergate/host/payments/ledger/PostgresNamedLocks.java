package io.infergate.host.payments.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;

/**
 * {@link LedgerDatabase#exclusively} on PostgreSQL: a session-level advisory lock per name, key
 * {@link AdvisoryLockKeys#of}{@code ("io.infergate.lock/v1/" + name + "/" + schema)}, taken and released on a
 * connection of its own (opened on first use, never one of the ledger pool's, so a holder waiting on a chain RPC takes
 * nothing from the paid calls). One holder per process at a time; across processes the database queues them. A
 * waiter gives up after {@value #LOCK_TIMEOUT_SECONDS} s ({@code lock_timeout}). A process that dies while holding a
 * lock loses its session, and with it the lock: nothing needs unlocking by hand.
 */
final class PostgresNamedLocks implements AutoCloseable {
  static final String NAMESPACE = "io.infergate.lock/v1/";
  static final int LOCK_TIMEOUT_SECONDS = 30;

  private final String url;
  private final String where;
  /** Read by {@link #close} without the holder's monitor: closing must not wait for a holder stuck in its work. */
  private volatile Connection connection;
  private volatile boolean closed;
  private String schema;

  PostgresNamedLocks(String url, String where) {
    this.url = url;
    this.where = where;
  }

  synchronized <T> T exclusively(String name, Supplier<T> work) {
    if (closed) {
      throw new LedgerException("the ledger at " + where + " is closed; nothing was done under lock '" + name + "'");
    }
    long key;
    Connection holding;
    try {
      holding = connection();
      key = AdvisoryLockKeys.of(NAMESPACE + name + "/" + schema);
      try (Statement s = holding.createStatement()) {
        s.execute("SELECT pg_advisory_lock(" + key + ")");
      }
    } catch (SQLException e) {
      closeConnection();
      throw new LedgerException("cannot take the lock '" + name + "' on PostgreSQL at " + where + " ("
          + e.getMessage() + "); nothing was done under it: check that the database is up and retry", e);
    }
    try {
      return work.get();
    } finally {
      try (Statement s = holding.createStatement()) {
        s.execute("SELECT pg_advisory_unlock(" + key + ")");
      } catch (SQLException e) {
        closeConnection();      // the session ends (or ended: closed meanwhile), and the server released the lock
      }
    }
  }

  private Connection connection() throws SQLException {
    Connection open = connection;
    if (open == null || open.isClosed()) {
      Connection c = DriverManager.getConnection(url);
      try (Statement s = c.createStatement()) {
        s.execute("SET lock_timeout = '" + LOCK_TIMEOUT_SECONDS + "s'");
        try (ResultSet rs = s.executeQuery("SELECT current_schema()")) {
          rs.next();
          schema = rs.getString(1) == null ? "public" : rs.getString(1);
        }
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      connection = c;
      open = c;
    }
    return open;
  }

  private void closeConnection() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already gone: so is its session
      }
    }
  }

  /**
   * Ends the lock session at once, also while a holder is still in its work (a node stopping during a stuck send):
   * the server releases the lock with the session, and the holder's unlock then finds the connection closed.
   */
  @Override
  public void close() {
    closed = true;
    closeConnection();
  }
}
