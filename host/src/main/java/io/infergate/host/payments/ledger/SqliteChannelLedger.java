package io.infergate.host.payments.ledger;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The embedded ledger: one SQLite file in WAL mode, used by one process, and by one instance in it, at a time.
 *
 * <p>One owner: opening takes an OS lock on {@code <file>.lock} ({@link LedgerFileLock}) that the OS frees when the
 * process ends, however it ends; a second opener (another node on the same file, or a second instance in this JVM)
 * is refused at once with a message naming the holder. Several replicas need the PostgreSQL ledger. Owning the file
 * is what makes the paid path cheap: leases live in memory ({@link InMemoryChannelLeases}), and so does the last
 * committed state of the channels ({@link ChannelStateCache}), so admitting a call runs no SQL and a charge is one
 * transaction that writes without reading back what this instance already knows. Only a charge teaches the cache
 * (after its COMMIT); every other write, including those of components sharing the database, makes it forget
 * everything ({@link #write}).
 *
 * <p>Durability: charges, vouchers, chain mirror and claims are on disk before the call returns (they
 * survive power loss): they commit with {@code synchronous=NORMAL} and then wait for a shared fsync of the
 * WAL ({@link WalGroupSync}: group commit, as safe as {@code FULL} but one fsync per batch of concurrent
 * commits). Leases are not written at all: they only ever mattered while their process lived.
 *
 * <p>One connection per ledger instance, guarded by a lock. SQLite has exactly one writer at a time per
 * file, so a pool would not add write throughput; the lock keeps threads of this JVM from spinning on
 * {@code SQLITE_BUSY}. The connection holds the file with {@code locking_mode=EXCLUSIVE} from its first
 * transaction on: no other connection, in this process or another (a {@code sqlite3} shell, a backup tool), can read
 * or write it until the ledger closes. Components keeping tables in the file (receipt journal, watcher checkpoint)
 * go through {@link #database()}. Copy a running ledger with a file-system snapshot (WAL and database together are
 * crash-consistent), or stop the node first.
 */
public final class SqliteChannelLedger extends JdbcChannelLedger {
  /** How long a writer waits for another process's write transaction before failing. */
  public static final int DEFAULT_BUSY_TIMEOUT_MILLIS = 10_000;
  private static final int UINT128_DIGITS = 39;
  private static final int UINT256_DIGITS = 78;

  private final Path file;
  private final Connection connection;
  private final StatementCache statements;
  private final PreparedStatement begin;
  private final PreparedStatement beginRead;
  private final PreparedStatement commit;
  private final PreparedStatement rollback;
  private final ReentrantLock lock = new ReentrantLock();
  private final WalGroupSync groupSync;
  private final boolean fsyncCharges;
  private final LedgerFileLock owner;
  private final InMemoryChannelLeases leases;
  private final ChannelStateCache channels = new ChannelStateCache();

  private SqliteChannelLedger(Path file, LedgerFileLock owner, Connection connection, Clock clock,
      boolean fsyncCharges) throws SQLException {
    super(clock, "", "MAX");
    this.file = file;
    this.owner = owner;
    this.leases = new InMemoryChannelLeases(clock);
    this.connection = connection;
    this.statements = new StatementCache(connection);
    Connection cached = statements.connection();
    this.begin = cached.prepareStatement("BEGIN IMMEDIATE");
    this.beginRead = cached.prepareStatement("BEGIN");
    this.commit = cached.prepareStatement("COMMIT");
    this.rollback = cached.prepareStatement("ROLLBACK");
    this.groupSync = new WalGroupSync(file);
    this.fsyncCharges = fsyncCharges;
  }

  /**
   * Opens (creating if needed) the ledger in {@code file}, power-loss safe, and brings its schema up to date. Throws
   * {@link LedgerException} if another process, or another instance in this one, has the file open.
   */
  public static SqliteChannelLedger open(Path file, Clock clock) {
    return open(file, clock, true);
  }

  /**
   * WAL pages between checkpoints (SQLite's default is 1000). A paid call with a receipt writes about 7 pages, the
   * channel's row among them on every call; a checkpoint copies each page once however often it changed, then
   * fsyncs the database file. Counted with strace over 3000 charges with receipts, every 4000 pages instead of
   * every 1000: pages copied back (WAL reads) 0.88 -> 0.42 per call, database fsyncs 4x fewer. The WAL file grows
   * to about 16 MB before it is reused; a checkpoint holds the ledger's lock a few times longer, a few times
   * less often.
   */
  static final int WAL_AUTOCHECKPOINT_PAGES = 4000;

  /**
   * Opens the ledger in {@code file}. With {@code fsyncCharges} false, writes that would wait for an fsync of the
   * WAL return once their {@code synchronous=NORMAL} commit is in the OS: they survive a crash (or
   * {@code kill -9}) of this process, not a crash of the machine ({@code payments.ledger-fsync}).
   */
  public static SqliteChannelLedger open(Path file, Clock clock, boolean fsyncCharges) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (java.io.IOException e) {
      throw new LedgerException("cannot open the channel ledger at " + file + ": " + e.getMessage()
          + "; check that the directory is writable", e);
    }
    LedgerFileLock owner = LedgerFileLock.acquire(file);
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      config.setBusyTimeout(DEFAULT_BUSY_TIMEOUT_MILLIS);
      // The node owns the file (LedgerFileLock), so its one connection may hold it exclusively: SQLite then keeps
      // the WAL index in its own memory and takes no file locks per transaction, which were about 10 of a charge's
      // 22 µs here (PaymentCostBenchmark.ledger_chargeWithoutReceipt). Nothing else can open the file meanwhile.
      config.setLockingMode(SQLiteConfig.LockingMode.EXCLUSIVE);
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
      try (java.sql.Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_autocheckpoint=" + WAL_AUTOCHECKPOINT_PAGES);
      }
      SqliteChannelLedger ledger;
      try {
        ledger = new SqliteChannelLedger(file, owner, c, clock, fsyncCharges);
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
      try {
        ledger.migrate();
      } catch (RuntimeException e) {
        ledger.close();
        throw e;
      }
      return ledger;
    } catch (SQLException | RuntimeException e) {
      owner.close();
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new LedgerException("cannot open the channel ledger at " + file + ": " + e.getMessage()
          + "; check that the directory is writable and the file is an Infergate ledger", e);
    }
  }

  // ---- what this instance knows, because it owns the file

  @Override
  protected ChannelLeases leases() {
    return leases;
  }

  /** No SQL: the lease is in memory, and so is the channel unless this instance has not read it yet. */
  @Override
  public Leased acquireAndGet(String channelId, String owner, Duration ttl) {
    ChannelLease lease = acquire(channelId, owner, ttl);
    try {
      return new Leased(lease, get(lease.channelId()));
    } catch (RuntimeException e) {
      release(lease);     // all or nothing, like the one transaction it replaces
      throw e;
    }
  }

  @Override
  public Optional<ChannelState> get(String channelId) {
    String id = LedgerValues.bytes32("channelId", channelId);
    ChannelState known = channels.get(id);
    if (known != null) {
      return Optional.of(known);
    }
    // Under the lock (read takes it), so no write can commit between the SELECT and the cache entry.
    return read(c -> {
      ChannelState s = selectChannel(c, id, false);
      if (s != null) {
        channels.remember(s);
      }
      return Optional.ofNullable(s);
    });
  }

  @Override
  protected ChannelState channelForCharge(Connection c, String channelId) throws SQLException {
    ChannelState known = channels.get(channelId);
    return known != null ? known : selectChannel(c, channelId, false);
  }

  // ---- writes

  /** Every write but a charge: the unit of work may have changed any channel, so the cache forgets them all. */
  @Override
  protected <T> T write(Durability durability, LedgerDatabase.Work<T> work) {
    Committed<T> c = commit(work, result -> channels.forgetAll());
    if (durability == Durability.FSYNC) {
      awaitDurable(c);
    }
    return c.result();
  }

  @Override
  protected <T> Deferred<T> writeDeferred(LedgerDatabase.Work<T> work) {
    return deferred(commit(work, result -> channels.forgetAll()));
  }

  /**
   * The one write that updates the cache instead of clearing it: after COMMIT, the charged state (or, for a refusal,
   * the state it was refused against); after a failure or a rollback, nothing is known about the channel any more.
   */
  @Override
  protected Deferred<ChargeResult> writeCharge(String channelId, LedgerDatabase.Work<ChargeResult> work,
      boolean deferred, java.util.function.Consumer<ChargeResult> ended) {
    Committed<ChargeResult> c = commit(work, result -> {
      switch (result) {
        case ChargeResult.Committed done -> channels.remember(done.state());
        case ChargeResult.Refused refused when refused.current().isPresent() ->
            channels.remember(refused.current().get());
        case null, default -> channels.forget(channelId);
      }
      ended.accept(result);
    });
    if (deferred) {
      return deferred(c);
    }
    awaitDurable(c);
    return new Deferred<>(c.result(), java.util.concurrent.CompletableFuture.completedStage(null));
  }

  private void awaitDurable(Committed<?> c) {
    if (fsyncCharges) {
      try {
        groupSync.awaitDurable(c.ticket());
      } catch (java.io.IOException e) {
        throw notDurable(e);
      }
    }
  }

  /** Leaves the fsync to the group-commit thread: the caller's thread is free at once. */
  private <T> Deferred<T> deferred(Committed<T> c) {
    if (!fsyncCharges) {
      return new Deferred<>(c.result(), java.util.concurrent.CompletableFuture.completedStage(null));
    }
    return new Deferred<>(c.result(), groupSync.whenDurable(c.ticket())
        .exceptionallyCompose(e -> java.util.concurrent.CompletableFuture.failedStage(
            e instanceof java.io.IOException io ? notDurable(io) : e)));
  }

  private LedgerException notDurable(java.io.IOException e) {
    return new LedgerException("the channel ledger committed but could not fsync " + file + "-wal ("
        + e.getMessage() + "); the change may not survive a power loss: check the disk", e);
  }

  private record Committed<T>(T result, long ticket) {}

  /**
   * Runs {@code work} in one write transaction; {@code ended} runs once it is over, still under the lock (so before any
   * other transaction), with the committed result, or with null if the transaction failed or rolled back.
   */
  private <T> Committed<T> commit(LedgerDatabase.Work<T> work, java.util.function.Consumer<T> ended) {
    lock.lock();
    T committed = null;
    try {
      begin.execute();
      boolean done = false;
      try {
        T result = work.run(statements.connection());
        commit.execute();
        done = true;
        committed = result;
        return new Committed<>(result, groupSync.committed());
      } finally {
        if (!done) {
          rollbackQuietly();
        }
      }
    } catch (SQLException e) {
      throw new LedgerException("channel ledger write failed on " + file + ": " + e.getMessage(), e);
    } finally {
      try {
        ended.accept(committed);
      } finally {
        lock.unlock();
      }
    }
  }

  @Override
  protected <T> T read(LedgerDatabase.Work<T> work) {
    lock.lock();
    try {
      beginRead.execute();
      try {
        return work.run(statements.connection());
      } finally {
        rollbackQuietly();
      }
    } catch (SQLException e) {
      throw new LedgerException("channel ledger read failed on " + file + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private void rollbackQuietly() {
    try {
      rollback.execute();
    } catch (SQLException ignored) {
      // No transaction left to roll back (SQLite may already have rolled back on error).
    }
  }

  @Override
  protected LedgerDatabase.Dialect dialect() {
    return LedgerDatabase.Dialect.SQLITE;
  }

  @Override
  protected void setUint128(PreparedStatement ps, int index, BigInteger value) throws SQLException {
    ps.setString(index, padded(LedgerValues.uint128("amount", value), UINT128_DIGITS));
  }

  @Override
  protected void setUint256(PreparedStatement ps, int index, BigInteger value) throws SQLException {
    ps.setString(index, padded(LedgerValues.uint256("amount", value), UINT256_DIGITS));
  }

  /** Fixed width, so SQLite's text comparison and MAX() agree with numeric order. */
  private static String padded(BigInteger value, int digits) {
    String s = value.toString();
    return "0".repeat(digits - s.length()) + s;
  }

  @Override
  protected BigInteger uint(ResultSet rs, String column) throws SQLException {
    return new BigInteger(rs.getString(column));
  }

  @Override
  protected Map<String, String> schemaTypes() {
    return Map.of("UINT128", "TEXT", "UINT256", "TEXT", "BYTES", "BLOB", "ID", "INTEGER PRIMARY KEY AUTOINCREMENT",
        "WITHOUT_ROWID", "WITHOUT ROWID");
  }

  @Override
  public void close() {
    lock.lock();
    try {
      // Pending fsyncs first: closing the last connection checkpoints the WAL into the database and removes it.
      groupSync.close();
      statements.close();
      connection.close();
    } catch (SQLException | java.io.IOException e) {
      throw new LedgerException("cannot close the channel ledger at " + file + ": " + e.getMessage(), e);
    } finally {
      try {
        owner.close();     // last: the next owner may open the file now
      } finally {
        lock.unlock();
      }
    }
  }
}
