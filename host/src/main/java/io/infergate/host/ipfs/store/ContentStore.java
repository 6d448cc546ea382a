package io.infergate.host.ipfs.store;

import io.infergate.host.ipfs.ContentException;
import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.block.BlockNotFoundException;
import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.block.BlockSource;
import io.infergate.host.ipfs.car.CarReader;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.Codec;
import io.infergate.host.ipfs.cid.Multihash;
import io.infergate.host.ipfs.dagpb.PbLink;
import io.infergate.host.ipfs.dagpb.PbNode;
import io.infergate.host.ipfs.unixfs.FileAssembler;
import io.infergate.host.ipfs.unixfs.ImportResult;
import io.infergate.host.ipfs.unixfs.UnixFsImporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The node's content store (layout in the package doc).
 *
 * <pre>{@code
 * ContentStore store = ContentStore.open(dir, ContentStoreOptions.defaults(), executor);
 * ImportResult r = store.add(Path.of("model.onnx"), true);        // import + pin
 * try (ContentStore.Lease l = store.lease(r.root())) { ort.load(l.path()); }
 * store.ensure(cid, s -> fetcher.fetchInto(cid, s)).join();       // one download however many ask
 * }</pre>
 *
 * <p>Design notes.
 * <b>What is kept:</b> verified blocks (the gateway serves them, a CAR is made of them) and, for every complete
 * root, the assembled file (what ORT and PF4J open by path). Both count against the size budget.
 * <b>Writes</b> go to {@code tmp/} and are renamed into place; the assembled file appears only after the whole
 * DAG verified ({@link FileAssembler}).
 * <b>GC vs writers:</b> every write runs in a {@link Session} holding a read stamp of a {@link StampedLock};
 * {@link #gc()} takes the write stamp, so it never sees an import whose blocks are not yet reachable from a
 * root. Stamps are not tied to a thread, so an asynchronous fetch holds one across callbacks.
 * <b>In use:</b> {@link #lease} counts users per root; GC keeps pinned and leased roots and every block
 * reachable from them, and removes everything else.
 * <b>Budget:</b> before an import of known size the store makes room (GC) or refuses with
 * {@link StoreFullException}; while writing, a put past the budget is refused too (no GC inside a session).
 * <b>One download per CID:</b> {@link #ensure} shares one future per root among concurrent callers.
 */
public final class ContentStore implements BlockSource {
  private final Path files;
  private final Path tmp;
  private final FileBlockStore blocks;
  private final PinSet pins;
  private final ContentStoreOptions options;
  private final Executor blocking;
  private final StampedLock gcLock = new StampedLock();
  private final ConcurrentHashMap<Cid, AtomicInteger> leases = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Cid, CompletableFuture<Path>> inflight = new ConcurrentHashMap<>();
  private final AtomicLong fileBytes = new AtomicLong();
  /** Bytes of blocks being written by sessions right now: counted against the budget before they land. */
  private final AtomicLong reserved = new AtomicLong();

  private ContentStore(Path dir, ContentStoreOptions options, Executor blocking) throws IOException {
    this.options = options;
    this.blocking = blocking;
    this.tmp = Files.createDirectories(dir.resolve("tmp"));
    clear(tmp);
    this.files = Files.createDirectories(dir.resolve("files"));
    this.blocks = new FileBlockStore(dir.resolve("blocks"), tmp);
    this.pins = new PinSet(dir.resolve("pins.json"), tmp);
    try (Stream<Path> all = Files.list(files)) {
      fileBytes.set(all.mapToLong(FileBlockStore::sizeOrZero).sum());
    }
  }

  /**
   * Opens (or creates) the store in {@code dir}. Leftovers of interrupted writes in {@code tmp/} are removed.
   *
   * @param blocking where {@link #ensure} runs assembly (blocking disk work); e.g. a Vert.x worker pool
   */
  public static ContentStore open(Path dir, ContentStoreOptions options, Executor blocking) throws IOException {
    return new ContentStore(dir, options, blocking);
  }

  public ContentStoreOptions options() {
    return options;
  }

  /** True if the complete, verified file of {@code root} is here. */
  public boolean has(Cid root) {
    return Files.isRegularFile(fileOf(root));
  }

  public boolean hasBlock(Cid cid) {
    return blocks.has(cid);
  }

  /** A stored block's bytes (verify before trusting: consumers in this library do). */
  @Override
  public Optional<byte[]> get(Cid cid) {
    return blocks.get(cid);
  }

  @Override
  public String describe() {
    return blocks.describe();
  }

  /** Bytes used by blocks and files. */
  public long usedBytes() {
    return blocks.bytes() + fileBytes.get();
  }

  /**
   * Imports a local file with the IPFS defaults ({@link UnixFsImporter#create()}), keeps its blocks and a
   * copy of the file, and pins it if asked.
   */
  public ImportResult add(Path file, boolean pin) throws IOException {
    makeRoom(2 * Files.size(file));
    ImportResult result;
    try (Session s = session()) {
      result = UnixFsImporter.create().importFile(file, s);
      Cid root = result.root().toV1();
      if (!has(root)) {
        Path staged = tmp.resolve(root + ".add");
        Files.copy(file, staged, StandardCopyOption.REPLACE_EXISTING);
        publish(staged, root);
      }
    }
    if (pin) {
      pin(result.root());
    }
    return result;
  }

  /**
   * Reads a CAR that must contain {@code root}, verifying every block into the store, then assembles the file.
   *
   * @return the path of the assembled file
   */
  public Path importCar(InputStream car, Cid root) throws IOException {
    try (Session s = session()) {
      CarReader.readAll(car, root, s, options.carLimits());
      return s.assemble(root);
    }
  }

  /** Assembles {@code root} from blocks already held (e.g. after a fetch put them). */
  public Path assemble(Cid root) throws IOException {
    try (Session s = session()) {
      return s.assemble(root);
    }
  }

  /**
   * The file of {@code root}, downloading it at most once however many callers ask at the same time.
   * {@code download} receives a session to put verified blocks into (it owns the session until its stage
   * completes); assembly then runs on the store's blocking executor.
   */
  public CompletableFuture<Path> ensure(Cid root, Function<Session, CompletionStage<?>> download) {
    Cid key = root.toV1();
    if (has(key)) {
      return CompletableFuture.completedFuture(fileOf(key));
    }
    CompletableFuture<Path> mine = new CompletableFuture<>();
    CompletableFuture<Path> shared = inflight.putIfAbsent(key, mine);
    if (shared != null) {
      return shared;
    }
    mine.whenComplete((p, e) -> inflight.remove(key, mine));
    Session session;
    try {
      session = session();
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      return mine;
    }
    CompletionStage<?> stage;
    try {
      stage = download.apply(session);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.toCompletableFuture()
        .thenApplyAsync(v -> {
          try {
            return session.assemble(key);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, blocking)
        .whenComplete((p, e) -> {
          session.close();
          if (e == null) {
            mine.complete(p);
          } else {
            mine.completeExceptionally(e instanceof java.util.concurrent.CompletionException c ? c.getCause() : e);
          }
        });
    return mine;
  }

  /** Uses the file of {@code root}; GC keeps it until the lease is closed. */
  public Lease lease(Cid root) {
    Cid key = root.toV1();
    // Under a read stamp, so a GC either ran before (and the check below sees the file gone) or runs after
    // and sees the lease.
    long stamp = gcLock.readLock();
    try {
      leases.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      if (!has(key)) {
        release(key);
        throw new BlockNotFoundException(key, "the content store (no complete file)");
      }
      return new Lease(key, fileOf(key));
    } finally {
      gcLock.unlockRead(stamp);
    }
  }

  /** Pins content the store holds completely. */
  public void pin(Cid root) throws IOException {
    Cid key = root.toV1();
    if (!has(key)) {
      throw new ContentException("cannot pin " + key + ": the store does not hold its complete file; add or fetch it first");
    }
    pins.add(key);
  }

  /** Unpins; the content stays until the next GC. Returns false if it was not pinned. */
  public boolean unpin(Cid root) throws IOException {
    return pins.remove(root.toV1());
  }

  public Set<Cid> pins() {
    return pins.snapshot();
  }

  /** Complete files held, sorted by CID. */
  public List<StoredContent> list() throws IOException {
    List<StoredContent> out = new ArrayList<>();
    try (Stream<Path> all = Files.list(files)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Cid cid;
        try {
          cid = Cid.parse(p.getFileName().toString());
        } catch (ContentException e) {
          continue;
        }
        AtomicInteger users = leases.get(cid);
        out.add(new StoredContent(cid, FileBlockStore.sizeOrZero(p), pins.contains(cid), users != null && users.get() > 0));
      }
    }
    out.sort(Comparator.comparing(c -> c.cid().toString()));
    return out;
  }

  /** Removes every file and block not reachable from a pinned or leased root. Waits for running writes. */
  public GcResult gc() throws IOException {
    long stamp = gcLock.writeLock();
    try {
      Set<Cid> keep = new HashSet<>(pins.snapshot());
      leases.forEach((cid, n) -> {
        if (n.get() > 0) {
          keep.add(cid);
        }
      });
      int removedFiles = 0;
      long freed = 0;
      try (Stream<Path> all = Files.list(files)) {
        for (Path p : (Iterable<Path>) all::iterator) {
          if (!keep.contains(parseOrNull(p.getFileName().toString()))) {
            long size = FileBlockStore.sizeOrZero(p);
            if (Files.deleteIfExists(p)) {
              fileBytes.addAndGet(-size);
              freed += size;
              removedFiles++;
            }
          }
        }
      }
      Set<Multihash> live = mark(keep);
      List<Multihash> dead = new ArrayList<>();
      blocks.forEach(mh -> {
        if (!live.contains(mh)) {
          dead.add(mh);
        }
      });
      for (Multihash mh : dead) {
        freed += blocks.delete(mh);
      }
      return new GcResult(removedFiles, dead.size(), freed);
    } finally {
      gcLock.unlockWrite(stamp);
    }
  }

  /**
   * The first block below {@code root} that the store lacks, found by reading only dag-pb nodes (raw leaves
   * are checked for presence, not hashed: assembly hashes everything once). Empty when the DAG is complete.
   */
  public Optional<Cid> firstMissingBlock(Cid root) {
    Deque<Cid> stack = new ArrayDeque<>(List.of(root));
    Set<Multihash> seen = new HashSet<>();
    while (!stack.isEmpty()) {
      Cid cid = stack.pop();
      if (!seen.add(cid.multihash())) {
        continue;
      }
      if (cid.codec() == Codec.RAW) {
        if (!blocks.has(cid)) {
          return Optional.of(cid);
        }
        continue;
      }
      Optional<byte[]> data = blocks.get(cid);
      if (data.isEmpty()) {
        return Optional.of(cid);
      }
      List<PbLink> links = PbNode.decode(data.get(), options.dagLimits().maxLinksPerNode()).links();
      for (int i = links.size() - 1; i >= 0; i--) {
        stack.push(links.get(i).cid());
      }
    }
    return Optional.empty();
  }

  /** Opens a write session: blocks put through it are safe from GC until it closes. */
  public Session session() {
    return new Session(gcLock.readLock());
  }

  /** Multihashes reachable from {@code roots}; raw leaves are marked without reading them. */
  private Set<Multihash> mark(Set<Cid> roots) {
    Set<Multihash> live = new HashSet<>();
    Deque<Cid> stack = new ArrayDeque<>(roots);
    while (!stack.isEmpty()) {
      Cid cid = stack.pop();
      if (!live.add(cid.multihash()) || cid.codec() == Codec.RAW) {
        continue;
      }
      Optional<byte[]> data = blocks.get(cid);
      if (data.isPresent() && cid.verify(data.get())) {
        for (PbLink link : PbNode.decode(data.get(), options.dagLimits().maxLinksPerNode()).links()) {
          stack.push(link.cid());
        }
      }
    }
    return live;
  }

  /**
   * Reserves {@code size} bytes if the budget holds them on top of what is stored and reserved. The reservations are
   * read before the stored bytes, so a put landing in between is counted twice, never missed: the store can refuse a
   * block a moment early (when it lands in the instant between its bytes being counted and its reservation released),
   * never go over. The compare-and-set fails if any reservation changed meanwhile.
   */
  private boolean reserve(long size) {
    while (true) {
      long r = reserved.get();
      if (usedBytes() + r + size > options.maxBytes()) {
        if (reserved.get() == r) {
          return false;
        }
        continue;       // a reservation landed or left meanwhile, and may have been counted twice: look again
      }
      if (reserved.compareAndSet(r, r + size)) {
        return true;
      }
    }
  }

  private void makeRoom(long needed) throws IOException {
    if (usedBytes() + needed <= options.maxBytes()) {
      return;
    }
    gc();
    if (usedBytes() + needed > options.maxBytes()) {
      throw new StoreFullException("the content store needs " + needed + " more bytes but holds " + usedBytes()
          + " of its " + options.maxBytes() + "-byte budget in pinned or in-use content; unpin something or raise the budget");
    }
  }

  /**
   * Moves a staged file into {@code files/} if the budget holds it (its bytes reserved while it moves, as a block's
   * are while it is written); otherwise deletes it and throws. Every file the store keeps arrives here.
   */
  private void publish(Path staged, Cid root) throws IOException {
    long size = Files.size(staged);
    if (!reserve(size)) {
      Files.deleteIfExists(staged);
      throw new StoreFullException("the file of " + root + " (" + size + " bytes) does not fit the store's "
          + options.maxBytes() + "-byte budget; unpin content or raise the budget");
    }
    try {
      Files.move(staged, fileOf(root), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      fileBytes.addAndGet(size);
    } finally {
      reserved.addAndGet(-size);
    }
  }

  private Path fileOf(Cid root) {
    return files.resolve(root.toV1().toString());
  }

  private void release(Cid key) {
    leases.computeIfPresent(key, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  private static Cid parseOrNull(String s) {
    try {
      return Cid.parse(s);
    } catch (ContentException e) {
      return null;
    }
  }

  private static void clear(Path dir) throws IOException {
    try (Stream<Path> all = Files.list(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A write session: a {@link BlockSink} into the store that GC will not collect from under. Close it. */
  public final class Session implements BlockSink, AutoCloseable {
    private final long stamp;
    private boolean closed;

    private Session(long stamp) {
      this.stamp = stamp;
    }

    /**
     * Stores a verified block if it fits the budget. A fetch puts many blocks at once from several threads, so the
     * check and the space are one step: the block's bytes are reserved before it is written (a plain check would let
     * each of N concurrent puts see the same room, and the store end N - 1 blocks over its budget).
     */
    @Override
    public void put(Block block) {
      if (!reserve(block.size())) {
        throw new StoreFullException("the content store is at its " + options.maxBytes() + "-byte budget; "
            + "run GC, unpin content or raise the budget, then fetch again");
      }
      try {
        blocks.put(block);
      } finally {
        reserved.addAndGet(-block.size());
      }
    }

    /** Assembles {@code root} from held blocks into {@code files/} (verified, atomic); returns its path. */
    public Path assemble(Cid root) throws IOException {
      Cid key = root.toV1();
      if (has(key)) {
        return fileOf(key);
      }
      Path staged = tmp.resolve(key + ".assemble");
      FileAssembler.create(options.dagLimits()).assemble(key, blocks, staged);
      publish(staged, key);
      return fileOf(key);
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        gcLock.unlockRead(stamp);
      }
    }
  }

  /** A use of a stored file; while open, GC keeps the file and its blocks. */
  public final class Lease implements AutoCloseable {
    private final Cid cid;
    private final Path path;
    private boolean closed;

    private Lease(Cid cid, Path path) {
      this.cid = cid;
      this.path = path;
    }

    public Cid cid() {
      return cid;
    }

    public Path path() {
      return path;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        release(cid);
      }
    }
  }
}
