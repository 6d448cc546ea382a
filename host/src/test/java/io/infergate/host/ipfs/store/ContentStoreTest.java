package io.infergate.host.ipfs.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.ipfs.NpmIpfsTools;
import io.infergate.host.ipfs.TestFiles;
import io.infergate.host.ipfs.block.BlockVerificationException;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.unixfs.ImportResult;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
  private static final int CHUNK = 256 * 1024;
  @TempDir Path dir;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private ContentStore open(long maxBytes) throws Exception {
    return ContentStore.open(dir.resolve("store"), ContentStoreOptions.defaults().withMaxBytes(maxBytes), pool);
  }

  private Path file(String name, int size, long seed) throws Exception {
    return TestFiles.random(dir, name, size, seed);
  }

  /** Invariants that must hold after every operation. */
  private static void checkInvariants(ContentStore store) throws Exception {
    for (StoredContent c : store.list()) {
      try (ContentStore.Lease l = store.lease(c.cid())) {
        assertEquals(c.size(), Files.size(l.path()));
      }
    }
    for (Cid pin : store.pins()) {
      assertTrue(store.has(pin), "pinned content is complete: " + pin);
    }
    assertTrue(store.usedBytes() >= 0);
  }

  @Test
  void addPinListLeaseAndReopen() throws Exception {
    Path f = file("model.onnx", 3 * CHUNK + 5, 1);
    ContentStore store = open(1L << 30);
    ImportResult r = store.add(f, true);
    assertTrue(store.has(r.root()));
    assertEquals(List.of(new StoredContent(r.root(), 3 * CHUNK + 5, true, false)), store.list());
    try (ContentStore.Lease l = store.lease(r.root())) {
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(l.path()));
      assertTrue(store.list().get(0).inUse());
    }
    checkInvariants(store);
    Files.writeString(dir.resolve("store/tmp/leftover"), "crash");
    ContentStore reopened = open(1L << 30);
    assertEquals(Set.of(r.root()), reopened.pins());
    assertEquals(store.usedBytes(), reopened.usedBytes());
    try (var left = Files.list(dir.resolve("store/tmp"))) {
      assertEquals(0, left.count(), "staging is cleared on open");
    }
    checkInvariants(reopened);
  }

  @Test
  void gcKeepsPinnedAndInUseContentAndSharedBlocks() throws Exception {
    ContentStore store = open(1L << 30);
    byte[] a = TestFiles.randomBytes(2 * CHUNK, 5);
    byte[] b = java.util.Arrays.copyOf(a, 3 * CHUNK); // shares its first two leaves with a
    Files.write(dir.resolve("a"), a);
    Files.write(dir.resolve("b"), b);
    Path c = file("c", CHUNK + 1, 6);
    ImportResult ra = store.add(dir.resolve("a"), true);
    ImportResult rb = store.add(dir.resolve("b"), false);
    ImportResult rc = store.add(c, false);
    try (ContentStore.Lease inUse = store.lease(rc.root())) {
      GcResult gc = store.gc();
      assertEquals(1, gc.removedFiles(), "b is neither pinned nor in use");
      assertTrue(store.has(ra.root()));
      assertFalse(store.has(rb.root()));
      assertTrue(store.has(rc.root()), "leased");
      // a still assembles from its blocks: the leaves it shared with b survived.
      io.infergate.host.ipfs.unixfs.FileAssembler.create().assemble(ra.root(), store, dir.resolve("again"));
      assertArrayEquals(a, Files.readAllBytes(dir.resolve("again")));
      checkInvariants(store);
    }
    store.gc();
    assertFalse(store.has(rc.root()), "lease closed, not pinned");
    assertTrue(store.unpin(ra.root()));
    assertFalse(store.unpin(ra.root()));
    GcResult last = store.gc();
    assertEquals(1, last.removedFiles());
    assertEquals(0, store.usedBytes(), "nothing left");
    checkInvariants(store);
  }

  @Test
  void gcWaitsForWritesInProgress() throws Exception {
    ContentStore store = open(1L << 30);
    ContentStore.Session session = store.session();
    session.put(io.infergate.host.ipfs.block.Block.of(io.infergate.host.ipfs.cid.Codec.RAW, new byte[] {1, 2, 3}));
    CompletableFuture<GcResult> gc = CompletableFuture.supplyAsync(() -> {
      try {
        return store.gc();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    }, pool);
    assertThrows(TimeoutException.class, () -> gc.get(300, TimeUnit.MILLISECONDS), "GC must wait for the session");
    session.close();
    assertEquals(1, gc.get(30, TimeUnit.SECONDS).removedBlocks(), "after the session, the orphan block goes");
  }

  @Test
  void budgetCollectsGarbageFirstThenRefuses() throws Exception {
    ContentStore store = open(8L * CHUNK);
    ImportResult unpinned = store.add(file("u", 2 * CHUNK, 1), false);
    // 2 more chunks need 4 chunks of room (blocks + file) on top of the 4 held: GC makes room.
    ImportResult pinned = store.add(file("p", 2 * CHUNK, 2), true);
    assertFalse(store.has(unpinned.root()), "GC removed unpinned content to make room");
    assertTrue(store.has(pinned.root()));
    StoreFullException e = assertThrows(StoreFullException.class, () -> store.add(file("big", 3 * CHUNK, 3), true));
    assertTrue(e.getMessage().contains("unpin something or raise the budget"), e.getMessage());
    checkInvariants(store);
  }

  /**
   * A fetch writes many blocks at once from several threads (parallel block requests). Each must be refused once the
   * budget is reached, never after: eight writers race for room for ten blocks, five times over (the race is at the
   * boundary, once per store).
   */
  @Test
  void concurrentWritesNeverTakeTheStorePastItsBudget() throws Exception {
    int size = 256 * 1024;
    long budget = 10L * size + size / 2;
    ExecutorService writers = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 5; round++) {
        ContentStore store = ContentStore.open(dir.resolve("race-" + round),
            ContentStoreOptions.defaults().withMaxBytes(budget), pool);
        int seed = round * 1000;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try (ContentStore.Session session = store.session()) {
          List<CompletableFuture<Void>> all = new java.util.ArrayList<>();
          for (int w = 0; w < 8; w++) {
            int writer = w;
            all.add(CompletableFuture.runAsync(() -> {
              try {
                go.await();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              for (int i = 0; i < 5; i++) {
                byte[] data = new byte[size];
                new java.util.Random(seed + writer * 100L + i).nextBytes(data);
                try {
                  session.put(io.infergate.host.ipfs.block.Block.of(io.infergate.host.ipfs.cid.Codec.RAW, data));
                  stored.incrementAndGet();
                } catch (StoreFullException e) {
                  refused.incrementAndGet();
                }
              }
            }, writers));
          }
          go.countDown();
          CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        assertTrue(store.usedBytes() <= budget, "round " + round + ": " + store.usedBytes() + " bytes stored, over the "
            + budget + "-byte budget");
        assertEquals((long) stored.get() * size, store.usedBytes(), "every stored block counted once");
        // Room for ten: a put may be refused a moment early (see ContentStore.reserve), never late.
        assertTrue(stored.get() >= 9, "the budget had room for ten, " + stored.get() + " stored");
        assertEquals(40, stored.get() + refused.get());
      }
    } finally {
      writers.shutdownNow();
    }
  }

  @Test
  void importsNpmCarAndRefusesCorruptOne() throws Exception {
    NpmIpfsTools npm = NpmIpfsTools.locate();
    Path f = file("weights", 2 * CHUNK + 100, 9);
    Path car = dir.resolve("w.car");
    Cid root = Cid.parse(npm.add(f, car).get("root").asText());
    ContentStore store = open(1L << 30);
    byte[] bad = Files.readAllBytes(car);
    bad[bad.length - 50] ^= 1; // inside the root node, the last section npm writes
    assertThrows(BlockVerificationException.class, () -> store.importCar(new ByteArrayInputStream(bad), root));
    assertFalse(store.has(root), "nothing unverified is exposed");
    try (InputStream in = Files.newInputStream(car)) {
      Path p = store.importCar(in, root);
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(p));
    }
    checkInvariants(store);
  }

  @Test
  void twoFetchesOfTheSameCidDownloadOnceAndBothAreServed() throws Exception {
    Path f = file("shared", 3 * CHUNK, 11);
    ContentStore source = ContentStore.open(dir.resolve("source"), ContentStoreOptions.defaults(), pool);
    Cid root = source.add(f, false).root();
    ContentStore store = open(1L << 30);
    AtomicInteger downloads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    java.util.function.Function<ContentStore.Session, java.util.concurrent.CompletionStage<?>> download = s ->
        CompletableFuture.runAsync(() -> {
          downloads.incrementAndGet();
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new RuntimeException(e);
          }
          io.infergate.host.ipfs.car.CarExporter.create(store.options().dagLimits()).walk(root, source, s);
        }, pool);
    CompletableFuture<Path> first = store.ensure(root, download);
    CompletableFuture<Path> second = store.ensure(root, download);
    assertSame(first, second, "the second caller joins the first download");
    release.countDown();
    assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(first.get(60, TimeUnit.SECONDS)));
    assertEquals(second.get(), first.get());
    assertEquals(1, downloads.get());
    assertEquals(first.get(), store.ensure(root, download).get(), "held content needs no download");
    assertEquals(1, downloads.get());
  }

  @Test
  void failedDownloadFailsAllWaitersAndCanBeRetried() throws Exception {
    ContentStore store = open(1L << 30);
    Cid root = Cid.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    CompletableFuture<Path> failed = store.ensure(root, s -> CompletableFuture.failedFuture(new IllegalStateException("gateway down")));
    var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> failed.get(30, TimeUnit.SECONDS));
    assertEquals("gateway down", e.getCause().getMessage());
    Path p = store.ensure(root, s -> {
      s.put(io.infergate.host.ipfs.block.Block.verified(root, new byte[0]));
      return CompletableFuture.completedFuture(null);
    }).get(30, TimeUnit.SECONDS);
    assertEquals(0, Files.size(p));
    assertThrows(io.infergate.host.ipfs.ContentException.class, () -> store.pin(Cid.parse(
        "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq")));
  }
}
