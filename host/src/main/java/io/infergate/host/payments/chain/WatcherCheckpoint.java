package io.infergate.host.payments.chain;

import io.infergate.host.payments.ledger.LedgerDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the {@link ChainWatcher} has got to: the last block it processed and that block's hash (to notice a
 * reorg under it), one row per (chain, contract) in table {@code chain_watcher_progress} of the ledger's own
 * database, so the mirror and its progress live and die together. The row is written only after the block's
 * events were applied to the ledger; applying is idempotent, so a crash in between only repeats work.
 *
 * <p>The table is created by the ledger's schema migrations (ledger version 2), and the checkpoint runs on the
 * ledger's own connections and transactions ({@link LedgerDatabase}): a SQLite ledger holds its file with
 * {@code locking_mode=EXCLUSIVE}, so a second connection could not open it; on PostgreSQL it shares the pool.
 */
public final class WatcherCheckpoint implements AutoCloseable {
  private final LedgerDatabase database;

  private WatcherCheckpoint(LedgerDatabase database) {
    this.database = database;
  }

  /** The checkpoint in the database of an open (hence migrated) ledger. */
  public static WatcherCheckpoint in(LedgerDatabase database) {
    return new WatcherCheckpoint(Objects.requireNonNull(database, "database"));
  }

  /** A processed block. */
  public record Progress(long block, String hash) {}

  /** The last processed block of {@code watcher} (a name such as {@code 31337:0x4020...}), if any. */
  public Optional<Progress> load(String watcher) {
    return database.read(c -> {
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
    database.write(c -> {
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

  /** Nothing to release: the connections are the ledger's. */
  @Override
  public void close() {}
}
