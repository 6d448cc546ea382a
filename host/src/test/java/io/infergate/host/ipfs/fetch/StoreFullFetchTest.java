package io.infergate.host.ipfs.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.ipfs.TestFiles;
import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.car.CarLimits;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.Multibase;
import io.infergate.host.ipfs.cid.Multihash;
import io.infergate.host.ipfs.store.ContentStore;
import io.infergate.host.ipfs.store.ContentStoreOptions;
import io.infergate.host.ipfs.store.StoreFullException;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that fills up mid-fetch: a real 2 MiB filesystem (tmpfs, mounted by the test when it runs as root)
 * and the store's own size budget. Either way the fetch ends at once with {@link StoreFullException} (no
 * other source is asked: none could help), and the store holds only whole, verified blocks and no file.
 */
class StoreFullFetchTest {
  @TempDir static Path dir;
  static Vertx vertx;
  static WebClient client;
  static final ExecutorService pool = Executors.newCachedThreadPool();
  static ContentStore origin;
  static Cid root;
  static CountingGateway gateway;
  static CountingGateway spare;

  @BeforeAll
  static void origin() throws Exception {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    origin = ContentStore.open(dir.resolve("origin"), ContentStoreOptions.defaults(), pool);
    root = origin.add(TestFiles.random(dir, "big.onnx", 3_000_000, 5), true).root();
    gateway = CountingGateway.honest(vertx, origin);
    spare = CountingGateway.honest(vertx, origin);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    spare.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    pool.shutdownNow();
  }

  private static ContentFetcher fetcher(ContentStore store) {
    return ContentFetcher.create(vertx, store, List.of(
        TrustlessGatewaySource.create(vertx, client, gateway.url(), CarLimits.defaults(), 5_000),
        TrustlessGatewaySource.create(vertx, client, spare.url(), CarLimits.defaults(), 5_000)), 30_000);
  }

  private static StoreFullException fetchFails(ContentStore store) {
    CompletionException e = assertThrows(CompletionException.class,
        () -> fetcher(store).fetch(root).toCompletionStage().toCompletableFuture().join());
    return assertInstanceOf(StoreFullException.class, e.getCause());
  }

  @Test
  void aDiskThatFillsUpEndsTheFetchAndLeavesOnlyWholeVerifiedBlocks() throws Exception {
    Path disk = Files.createDirectories(dir.resolve("disk"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk.toString())
        .redirectErrorStream(true).start();
    String said = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    Assumptions.assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
        "cannot mount a 2 MiB tmpfs here (" + said + "); the budget test still covers a full store");
    try {
      Path storeDir = disk.resolve("store");
      ContentStore store = ContentStore.open(storeDir, ContentStoreOptions.defaults(), pool);
      int sparesBefore = spare.requests().size();

      StoreFullException first = fetchFails(store); // fresh store: the CAR path
      assertTrue(first.getMessage().contains("disk full"), first.getMessage());
      assertConsistent(store, storeDir);
      StoreFullException again = fetchFails(store); // part held: the block-by-block path
      assertTrue(again.getMessage().contains("disk full"), again.getMessage());
      assertConsistent(store, storeDir);
      assertEquals(sparesBefore, spare.requests().size(), "a full store is not the source's fault: no other source is asked");

      ContentStore reopened = ContentStore.open(storeDir, ContentStoreOptions.defaults(), pool);
      assertEquals(store.usedBytes(), reopened.usedBytes(), "the accounting matches what is on disk");
    } finally {
      new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFullBudgetEndsTheFetchTheSameWay() throws Exception {
    Path storeDir = dir.resolve("budget");
    ContentStore store = ContentStore.open(storeDir, ContentStoreOptions.defaults().withMaxBytes(1_000_000), pool);
    try (ContentStore.Session s = store.session()) {
      s.put(Block.verified(root, origin.get(root).orElseThrow())); // resumed: the block-by-block path
    }
    int sparesBefore = spare.requests().size();
    StoreFullException e = fetchFails(store);
    assertTrue(e.getMessage().contains("1000000-byte budget"), e.getMessage());
    assertConsistent(store, storeDir);
    assertTrue(store.usedBytes() <= 1_000_000);
    assertEquals(sparesBefore, spare.requests().size());
  }

  /** No assembled file, nothing left in staging, and every block file whole: its bytes hash to its name. */
  private static void assertConsistent(ContentStore store, Path storeDir) throws Exception {
    assertFalse(store.has(root));
    assertEquals(List.of(), list(storeDir.resolve("files")), "no (partial) file is visible");
    assertEquals(List.of(), list(storeDir.resolve("tmp")), "staging is cleaned up");
    long bytes = 0;
    try (Stream<Path> all = Files.walk(storeDir.resolve("blocks"))) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        byte[] data = Files.readAllBytes(p);
        Multihash mh = Multihash.decode(Multibase.decodeBase32(p.getFileName().toString()));
        assertTrue(mh.matches(data, 0, data.length), "block file " + p + " is whole");
        bytes += data.length;
      }
    }
    assertTrue(bytes > 0, "the blocks that fit are kept for the next attempt");
    assertEquals(bytes, store.usedBytes());
  }

  private static List<Path> list(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.toList();
    }
  }
}
