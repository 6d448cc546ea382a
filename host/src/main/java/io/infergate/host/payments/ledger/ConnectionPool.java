package io.infergate.host.payments.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A fixed-size pool of PostgreSQL connections, because a paid call on one channel must not wait for a
 * commit on another. Deliberately tiny: connections are opened lazily, a connection that failed is
 * closed and replaced on the next borrow instead of being tested on every borrow.
 */
final class ConnectionPool implements AutoCloseable {
  private final String url;
  private final Semaphore permits;
  private final BlockingQueue<Connection> idle = new LinkedBlockingQueue<>();
  private final long borrowTimeoutMillis;
  private volatile boolean closed;

  ConnectionPool(String url, int size, long borrowTimeoutMillis) {
    if (size < 1) {
      throw new IllegalArgumentException("a ledger connection pool needs at least 1 connection, got " + size);
    }
    this.url = url;
    this.permits = new Semaphore(size, true);
    this.borrowTimeoutMillis = borrowTimeoutMillis;
  }

  Connection borrow() throws SQLException {
    if (closed) {
      throw new SQLException("the ledger connection pool is closed");
    }
    try {
      if (!permits.tryAcquire(borrowTimeoutMillis, TimeUnit.MILLISECONDS)) {
        throw new SQLException("no ledger database connection became free within " + borrowTimeoutMillis
            + " ms; raise the pool size or look for slow transactions");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a ledger database connection", e);
    }
    Connection c = idle.poll();
    if (c != null) {
      return c;
    }
    try {
      c = DriverManager.getConnection(url);
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      return c;
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  /** Returns a connection; a broken one is closed so the next borrow opens a fresh one. */
  void giveBack(Connection c, boolean broken) {
    if (broken || closed) {
      closeQuietly(c);
    } else {
      idle.add(c);
    }
    permits.release();
  }

  @Override
  public void close() {
    closed = true;
    List<Connection> all = new ArrayList<>();
    idle.drainTo(all);
    all.forEach(ConnectionPool::closeQuietly);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // Already broken; nothing to release on our side.
    }
  }
}
