package io.infergate.host.payments.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes one process, and one ledger instance in it, the only user of a SQLite ledger file, for as long as it has it
 * open. That is what lets the SQLite ledger keep its leases and the channels' state in memory: nothing else can
 * write the file behind its back.
 *
 * <p>An exclusive OS lock on {@code <ledger file>.lock}, which holds the holder's pid and start time for the error
 * message of the next opener. The OS drops the lock when the holder's process ends, however it ends ({@code kill
 * -9} included), so a crash never leaves anything to unlock by hand; the file itself stays. Within one JVM the OS
 * lock cannot tell two openers apart ({@link FileChannel#tryLock} would throw
 * {@link OverlappingFileLockException}), so this JVM's holders are also kept in a set of canonical paths.
 */
final class LedgerFileLock implements AutoCloseable {
  private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path ledgerFile;
  private final FileChannel channel;
  private final FileLock lock;

  private LedgerFileLock(Path ledgerFile, FileChannel channel, FileLock lock) {
    this.ledgerFile = ledgerFile;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes {@code ledgerFile} (whose directory must exist) for this instance, or throws {@link LedgerException}. */
  static LedgerFileLock acquire(Path ledgerFile) {
    Path file = canonical(ledgerFile);
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    if (!HELD_IN_THIS_JVM.add(file)) {
      throw refused(file, lockFile, "another ledger instance in this process (" + describe(ProcessHandle.current())
          + ")");
    }
    boolean taken = false;
    try {
      FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      try {
        FileLock lock = channel.tryLock();
        if (lock == null) {
          throw refused(file, lockFile, "another process (" + holder(channel) + ")");
        }
        writeHolder(channel);
        taken = true;
        return new LedgerFileLock(file, channel, lock);
      } finally {
        if (!taken) {
          channel.close();
        }
      }
    } catch (IOException | OverlappingFileLockException e) {
      throw new LedgerException("cannot lock the channel ledger " + file + " through " + lockFile + ": " + e
          + "; check that its directory is writable", e);
    } finally {
      if (!taken) {
        HELD_IN_THIS_JVM.remove(file);
      }
    }
  }

  private static LedgerException refused(Path file, Path lockFile, String holder) {
    return new LedgerException("the channel ledger " + file + " is already open in " + holder + "; a SQLite ledger"
        + " belongs to one node process at a time (" + lockFile + " is locked while it runs, and freed when it"
        + " stops or dies). Stop the other node first, or, to run several replicas, give them one shared PostgreSQL"
        + " ledger (payments.ledger=jdbc:postgresql://...)");
  }

  /** The path every opener of the same file agrees on (the file need not exist yet, its directory must). */
  private static Path canonical(Path file) {
    try {
      Path absolute = file.toAbsolutePath();
      return Files.exists(absolute) ? absolute.toRealPath()
          : absolute.getParent().toRealPath().resolve(absolute.getFileName());
    } catch (IOException e) {
      throw new LedgerException("cannot resolve the channel ledger path " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeHolder(FileChannel channel) throws IOException {
    byte[] text = (describe(ProcessHandle.current()) + "\n").getBytes(StandardCharsets.UTF_8);
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(text), 0);
  }

  /** What the holder wrote about itself; the lock file can be read while another process holds its lock. */
  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(256);
      channel.read(buffer, 0);
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "pid unknown" : text;
    } catch (IOException e) {
      return "pid unknown: " + e.getMessage();
    }
  }

  private static String describe(ProcessHandle process) {
    return "pid " + process.pid() + process.info().startInstant().map(Instant::toString).map(t -> ", started " + t)
        .orElse("");
  }

  /** The canonical path of the ledger file this lock holds. */
  Path ledgerFile() {
    return ledgerFile;
  }

  /** Frees the file for the next opener (this process or another). Idempotent. */
  @Override
  public synchronized void close() {
    if (!channel.isOpen()) {
      return;
    }
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new LedgerException("cannot unlock the channel ledger " + ledgerFile + ": " + e.getMessage(), e);
    } finally {
      HELD_IN_THIS_JVM.remove(ledgerFile);
    }
  }
}
