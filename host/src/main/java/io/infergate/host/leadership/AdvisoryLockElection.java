package io.infergate.host.leadership;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design notes.
 *
 * The lock: pg_try_advisory_lock(key), session level, on a connection of its own (never one of the ledger pool's,
 * whose sessions come and go and run transactions that roll back). PostgreSQL holds it until this session ends, so
 * a replica that dies (kill -9, a crashed machine once the server notices the dead TCP connection) or whose
 * connection is cut gives it up without anyone unlocking anything.
 *
 * Before every round the leader asks the same session whether it still holds the lock (pg_locks for its own
 * backend pid): a dead connection fails the query, within the network timeout, and the replica steps down before
 * the round, never running a round it only believes it leads. It then reconnects at the next tick and competes
 * again. A follower tries the lock at every tick.
 *
 * The rounds ask again before each step that sends (ClaimScheduler: replace, submit, settle; ReceiptAnchorer: each
 * batch), so a leader that lost the lock mid-round stops at its next step. What this cannot rule out: a connection
 * lost between a check and the broadcast it allowed; another replica may take over while that step's transactions
 * go out. The work is safe to repeat (claims are cumulative on chain and recorded before broadcasting; anchoring
 * asks the contract before every commit), so an overlap costs at most a reverted transaction's gas, never money.
 * Only fencing on chain could close that gap, and the contracts have none to offer.
 *
 * Threads: lead() runs on the role's round thread; status() and leading() read volatile fields from any thread.
 */
/**
 * Leadership of one role held as a PostgreSQL session-level advisory lock ({@link LeaderLockKey}) on a dedicated
 * connection to the ledger's database.
 */
public final class AdvisoryLockElection implements LeaderElection {
  private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLockElection.class);
  /** Longest a check may wait for the database before the replica counts the connection as lost. */
  static final int CHECK_TIMEOUT_MILLIS = 5_000;

  private final String jdbcUrl;
  private final String where;
  private final LeaderRole role;
  private final LeaderMetrics metrics;
  private Connection connection;
  private volatile LeaderLockKey key;
  private boolean followingLogged;
  private volatile boolean leading;
  private volatile Instant since;
  private volatile String holder;
  private volatile String lastError;
  private volatile boolean closed;

  private AdvisoryLockElection(String jdbcUrl, LeaderRole role, LeaderMetrics metrics) {
    this.jdbcUrl = jdbcUrl;
    this.where = jdbcUrl.replaceAll("password=[^&]*", "password=***");
    this.role = role;
    this.metrics = metrics;
  }

  /** The election of {@code role} among the replicas whose ledger is {@code jdbcUrl}; connects at the first lead(). */
  public static AdvisoryLockElection create(String jdbcUrl, LeaderRole role, LeaderMetrics metrics) {
    return new AdvisoryLockElection(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), Objects.requireNonNull(role, "role"),
        Objects.requireNonNull(metrics, "metrics"));
  }

  @Override
  public LeaderRole role() {
    return role;
  }

  @Override
  public synchronized boolean lead() {
    if (closed) {
      return false;
    }
    try {
      if (connection == null) {
        connect();
      }
      if (leading) {
        if (!stillHeld()) {
          stepDown("the session no longer holds the lock");
          disconnect();
        }
      } else if (tryLock()) {
        takeOver();
      } else {
        follow();
      }
      lastError = null;
    } catch (SQLException | RuntimeException e) {
      boolean firstFailure = lastError == null;
      lastError = "leader election for " + role.label() + " failed on " + where + ": " + e.getMessage();
      if (leading) {
        stepDown("its connection failed (" + e.getMessage() + ")");
      } else if (firstFailure) {
        LOG.warn("{}; this replica cannot lead until it reaches the database, trying at every tick", lastError);
      } else {
        LOG.debug("{}; trying again next tick", lastError);
      }
      disconnect();
    }
    return leading;
  }

  @Override
  public boolean leading() {
    return leading;
  }

  @Override
  public LeaderStatus status() {
    return new LeaderStatus(role, leading, "postgresql-advisory-lock", Optional.ofNullable(key),
        Optional.ofNullable(leading ? since : null), Optional.ofNullable(leading ? null : holder),
        Optional.ofNullable(lastError));
  }

  /** This replica's backend pid on its lock connection (tests terminate it to simulate a lost connection). */
  public synchronized Optional<Integer> backendPid() {
    if (connection == null) {
      return Optional.empty();
    }
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return Optional.of(rs.getInt(1));
    } catch (SQLException e) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (leading) {
      leading = false;
      metrics.lost();
      LOG.info("this replica gives up leading {} (closing)", role.label());
      unlock();
    }
    disconnect();    // ends the session, which releases the lock anyway, but only once the backend has exited
  }

  /** Releases the lock before the session ends, so another replica can take it at its very next tick. */
  private void unlock() {
    try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      ps.setLong(1, key.value());
      ps.execute();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("unlocking the {} leader lock: {} (the session's end releases it)", role.label(), e.getMessage());
    }
  }

  // ---- steps

  private void connect() throws SQLException {
    Connection c = DriverManager.getConnection(jdbcUrl);
    try {
      c.setAutoCommit(true);
      c.setNetworkTimeout(Runnable::run, CHECK_TIMEOUT_MILLIS);
      try (Statement s = c.createStatement()) {
        s.execute("SET application_name = '" + applicationName().replace("'", "") + "'");
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
        rs.next();
        String schema = rs.getString(1);
        key = LeaderLockKey.of(role, schema == null ? "public" : schema);
      }
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
    connection = c;
  }

  private boolean tryLock() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      ps.setLong(1, key.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** Whether this session still holds the lock; fails if the connection is gone. */
  private boolean stillHeld() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks"
        + " WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()"
        + " AND classid = ?::bigint::oid AND objid = ?::bigint::oid AND objsubid = 1)")) {
      ps.setLong(1, key.classId());
      ps.setLong(2, key.objId());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** The session holding the lock, as PostgreSQL shows it (its application name names the replica). */
  private String describeHolder() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT l.pid, a.application_name,"
        + " host(a.client_addr) FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
        + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ?::bigint::oid"
        + " AND l.objid = ?::bigint::oid AND l.objsubid = 1"
        + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
      ps.setLong(1, key.classId());
      ps.setLong(2, key.objId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return "nobody (released since)";
        }
        String app = rs.getString(2);
        String addr = rs.getString(3);
        return "backend pid " + rs.getInt(1) + (app == null || app.isEmpty() ? "" : " (" + app + ")")
            + (addr == null ? "" : " from " + addr);
      }
    }
  }

  private void takeOver() {
    leading = true;
    since = Instant.now();
    holder = null;
    followingLogged = false;
    metrics.acquired();
    LOG.info("this replica now leads {} (PostgreSQL advisory lock {} on {})", role.label(), key, where);
  }

  private void follow() throws SQLException {
    holder = describeHolder();
    if (!followingLogged) {
      followingLogged = true;
      LOG.info("another replica leads {}: {}; this one stands by and takes over if it goes", role.label(), holder);
    }
  }

  private void stepDown(String why) {
    leading = false;
    since = null;
    followingLogged = false;
    metrics.lost();
    LOG.warn("this replica stops leading {}: {}; it runs no round until it holds the lock again", role.label(), why);
  }

  private void disconnect() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("closing the {} leader connection: {}", role.label(), e.getMessage());
      }
      connection = null;
    }
  }

  private String applicationName() {
    return "infergate " + role.label() + " leader " + ThisHost.NAME + ":" + ProcessHandle.current().pid();
  }

  /** The host name, looked up once (a slow resolver must not delay every reconnect). */
  private static final class ThisHost {
    static final String NAME = lookUp();

    private static String lookUp() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        return "unknown-host";
      }
    }
  }
}
