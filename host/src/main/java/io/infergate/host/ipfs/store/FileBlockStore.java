package io.infergate.host.ipfs.store;

import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.block.BlockSource;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.Multibase;
import io.infergate.host.ipfs.cid.Multihash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Blocks as files, one per multihash, written to a staging directory and renamed into place (so a reader
 * never sees half a block). Blocks are not fsynced one by one: every consumer verifies a block's hash when
 * it reads it, so a block torn by a crash is caught on read, deleted and fetched again.
 */
public final class FileBlockStore implements BlockSource, BlockSink {
  private final Path blocks;
  private final Path tmp;
  private final AtomicLong bytes = new AtomicLong();

  FileBlockStore(Path blocks, Path tmp) throws IOException {
    this.blocks = Files.createDirectories(blocks);
    this.tmp = Files.createDirectories(tmp);
    try (Stream<Path> all = Files.walk(blocks)) {
      bytes.set(all.filter(Files::isRegularFile).mapToLong(FileBlockStore::sizeOrZero).sum());
    }
  }

  /** A standalone block store under {@code dir} (the content store uses its own layout of the same form). */
  public static FileBlockStore open(Path dir) throws IOException {
    return new FileBlockStore(dir.resolve("blocks"), dir.resolve("tmp"));
  }

  @Override
  public Optional<byte[]> get(Cid cid) {
    try {
      return Optional.of(Files.readAllBytes(path(cid.multihash())));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read block " + cid + ": " + e.getMessage(), e);
    }
  }

  public boolean has(Cid cid) {
    return Files.isRegularFile(path(cid.multihash()));
  }

  /** Stores a verified block; a block already present is left alone (same hash, same bytes). */
  @Override
  public void put(Block block) {
    Path target = path(block.cid().multihash());
    if (Files.exists(target)) {
      return;
    }
    Path staged = tmp.resolve(UUID.randomUUID() + ".block");
    try {
      Files.write(staged, block.data());
      Files.createDirectories(target.getParent());
      try {
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        bytes.addAndGet(block.size());
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        Files.deleteIfExists(staged); // another writer won the race with identical bytes
      }
    } catch (IOException e) {
      deleteQuietly(staged);
      if (isDiskFull(e)) {
        throw new StoreFullException("disk full while storing block " + block.cid() + " under " + blocks
            + "; free disk space or lower the store's size budget", e);
      }
      throw new UncheckedIOException("cannot store block " + block.cid() + ": " + e.getMessage(), e);
    }
  }

  /** Deletes a block (a corrupt one, or in GC). Returns the bytes freed. */
  public long delete(Multihash mh) {
    Path p = path(mh);
    try {
      long size = sizeOrZero(p);
      if (Files.deleteIfExists(p)) {
        bytes.addAndGet(-size);
        return size;
      }
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Calls {@code action} with the multihash of every stored block. */
  public void forEach(Consumer<Multihash> action) throws IOException {
    try (Stream<Path> all = Files.walk(blocks)) {
      all.filter(Files::isRegularFile).forEach(p -> {
        Multihash mh = keyOf(p);
        if (mh != null) {
          action.accept(mh);
        }
      });
    }
  }

  /** Bytes of all stored blocks. */
  public long bytes() {
    return bytes.get();
  }

  @Override
  public String describe() {
    return "content store " + blocks;
  }

  Path path(Multihash mh) {
    String key = Multibase.encodeBase32(mh.bytes());
    return blocks.resolve(key.substring(key.length() - 3, key.length() - 1)).resolve(key);
  }

  private static Multihash keyOf(Path p) {
    try {
      return Multihash.decode(Multibase.decodeBase32(p.getFileName().toString()));
    } catch (RuntimeException e) {
      return null; // not ours; GC leaves unknown files alone
    }
  }

  static boolean isDiskFull(IOException e) {
    String m = e.getMessage();
    return m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"));
  }

  static long sizeOrZero(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // staging is cleared when the store opens
    }
  }
}
