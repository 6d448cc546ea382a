package io.infergate.host.payments.ledger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Group commit for SQLite in WAL mode. Charges commit with {@code synchronous=NORMAL} (the WAL frames reach
 * the OS at COMMIT, so a process crash cannot lose them) and then wait here until an fsync of the WAL file
 * that started after their COMMIT has finished; one fsync covers every commit that completed before it,
 * from any thread. A caller returns only after its commit is on disk, as with {@code synchronous=FULL},
 * but N concurrent charges cost one fsync instead of N.
 *
 * <p>Why this is as safe as FULL: the WAL is append-only between checkpoints and fsync flushes the whole
 * file, so a later fsync covers earlier frames too; a checkpoint fsyncs WAL and database itself before the
 * WAL is reused. A commit becomes visible to readers before it is durable, so a later charge may build on
 * it, but that later charge waits for an fsync that covers both, and no answer leaves before its own wait.
 */
final class WalGroupSync {
  private final Path wal;
  private long committed;
  private long synced;
  private boolean syncing;
  private FileChannel channel;

  private final ExecutorService syncer;

  WalGroupSync(Path databaseFile) {
    this.wal = Path.of(databaseFile.toAbsolutePath() + "-wal");
    this.syncer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "infergate-ledger-fsync");
      t.setDaemon(true);
      return t;
    });
  }

  /** Called right after a COMMIT returned; the ticket to wait for. */
  synchronized long committed() {
    return ++committed;
  }

  /**
   * Completes once an fsync that started after commit {@code ticket} completed. The fsyncs run on this ledger's
   * own daemon thread, one after the other; each covers every commit before it, so a burst of commits waits for
   * one or two fsyncs, and the committing threads go on with other work meanwhile.
   */
  CompletableFuture<Void> whenDurable(long ticket) {
    synchronized (this) {
      if (synced >= ticket) {
        return CompletableFuture.completedFuture(null);
      }
    }
    CompletableFuture<Void> durable = new CompletableFuture<>();
    syncer.execute(() -> {
      try {
        awaitDurable(ticket);
        durable.complete(null);
      } catch (IOException | RuntimeException e) {
        durable.completeExceptionally(e);
      }
    });
    return durable;
  }

  /** Returns once an fsync that started after commit {@code ticket} completed. */
  void awaitDurable(long ticket) throws IOException {
    long target;
    synchronized (this) {
      while (synced < ticket && syncing) {
        waitQuietly();
      }
      if (synced >= ticket) {
        return;
      }
      syncing = true;
      target = committed;
    }
    boolean ok = false;
    try {
      force();
      ok = true;
    } finally {
      synchronized (this) {
        syncing = false;
        if (ok) {
          synced = Math.max(synced, target);
        }
        notifyAll();
      }
    }
  }

  private void force() throws IOException {
    FileChannel c;
    synchronized (this) {
      if (channel == null || !channel.isOpen()) {
        channel = FileChannel.open(wal, StandardOpenOption.READ);
        // The WAL file's directory entry must be durable too, once per opening.
        try (FileChannel dir = FileChannel.open(wal.getParent(), StandardOpenOption.READ)) {
          dir.force(true);
        }
      }
      c = channel;
    }
    c.force(false);
  }

  private void waitQuietly() {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerException("interrupted while waiting for the ledger's fsync; the charge's durability is unknown");
    }
  }

  void close() throws IOException {
    syncer.shutdown();
    try {
      // Commits already answered are waiting for their fsync; let them have it before the file closes.
      syncer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeChannel();
  }

  private synchronized void closeChannel() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
