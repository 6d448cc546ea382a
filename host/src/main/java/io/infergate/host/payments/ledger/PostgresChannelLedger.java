package io.infergate.host.payments.ledger;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * The ledger for several replicas of one provider: one PostgreSQL database shared by all of them.
 *
 * <p>Transactions run at READ COMMITTED and lock what they change ({@code SELECT ... FOR UPDATE}), so the
 * version compare-and-set is decided under the row lock; each commit is synchronous (PostgreSQL's default
 * {@code synchronous_commit=on}), so a charge that returned survives a crash of the database server too.
 * Deadlocks and serialization failures, which the lock order should rule out, are retried a few times.
 * If the connection drops during COMMIT the outcome is unknown: the call fails with
 * {@link LedgerException}, nothing is answered to the consumer, and the next voucher resynchronizes
 * through the corrective 402; a charge is never applied twice because of the version check.
 */
public final class PostgresChannelLedger extends JdbcChannelLedger {
  /** Connections per ledger instance (per replica). */
  public static final int DEFAULT_POOL_SIZE = 4;
  private static final long BORROW_TIMEOUT_MILLIS = 5_000;
  private static final int ATTEMPTS = 3;
  /** serialization_failure, deadlock_detected. */
  private static final Set<String> RETRYABLE = Set.of("40001", "40P01");
  private static final long MIGRATION_LOCK = 0x1ed6e7_1ed6e7L;

  private final ConnectionPool pool;
  private final String where;

  private PostgresChannelLedger(ConnectionPool pool, String where, Clock clock) {
    super(clock, " FOR UPDATE", "GREATEST");
    this.pool = pool;
    this.where = where;
  }

  /**
   * Connects to {@code jdbcUrl} (e.g. {@code jdbc:postgresql://db:5432/infergate?user=infergate&password=...})
   * and brings the schema up to date; replicas starting together migrate once.
   */
  public static PostgresChannelLedger open(String jdbcUrl, int poolSize, Clock clock) {
    String where = jdbcUrl.replaceAll("password=[^&]*", "password=***");
    PostgresChannelLedger ledger =
        new PostgresChannelLedger(new ConnectionPool(jdbcUrl, poolSize, BORROW_TIMEOUT_MILLIS), where, clock);
    try {
      ledger.migrate();
      return ledger;
    } catch (RuntimeException e) {
      ledger.close();
      throw e;
    }
  }

  @Override
  protected Map<String, String> schemaTypes() {
    return Map.of("UINT128", "NUMERIC(39,0)", "UINT256", "NUMERIC(78,0)", "BYTES", "BYTEA");
  }

  @Override
  protected <T> T write(Durability durability, Work<T> work) {
    return transaction("write", work);
  }

  @Override
  protected <T> T read(Work<T> work) {
    return transaction("read", work);
  }

  private <T> T transaction(String kind, Work<T> work) {
    SQLException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Connection c;
      try {
        c = pool.borrow();
      } catch (SQLException e) {
        throw new LedgerException("channel ledger " + kind + " failed: " + e.getMessage() + " (" + where + ")", e);
      }
      boolean broken = false;
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException e) {
        broken = rollback(c);
        last = e;
        if (!RETRYABLE.contains(e.getSQLState())) {
          break;
        }
      } catch (RuntimeException e) {
        broken = rollback(c);
        throw e;
      } finally {
        pool.giveBack(c, broken);
      }
    }
    throw new LedgerException("channel ledger " + kind + " failed on " + where + ": " + last.getMessage()
        + "; check that PostgreSQL is reachable", last);
  }

  /** Rolls back; returns true if the connection is unusable. */
  private static boolean rollback(Connection c) {
    try {
      c.rollback();
      return false;
    } catch (SQLException e) {
      return true;
    }
  }

  /** Migrations run under a transaction-scoped advisory lock, so replicas starting together migrate once. */
  @Override
  protected void migrateLocked(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
    }
  }

  @Override
  protected void setUint128(PreparedStatement ps, int index, BigInteger value) throws SQLException {
    ps.setBigDecimal(index, new BigDecimal(LedgerValues.uint128("amount", value)));
  }

  @Override
  protected void setUint256(PreparedStatement ps, int index, BigInteger value) throws SQLException {
    ps.setBigDecimal(index, new BigDecimal(LedgerValues.uint256("amount", value)));
  }

  @Override
  protected BigInteger uint(ResultSet rs, String column) throws SQLException {
    return rs.getBigDecimal(column).toBigIntegerExact();
  }

  @Override
  public void close() {
    pool.close();
  }
}
