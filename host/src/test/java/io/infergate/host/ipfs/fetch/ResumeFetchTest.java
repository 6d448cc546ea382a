package io.infergate.host.ipfs.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.ipfs.TestFiles;
import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.car.CarExporter;
import io.infergate.host.ipfs.car.CarLimits;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.dagpb.PbLink;
import io.infergate.host.ipfs.dagpb.PbNode;
import io.infergate.host.ipfs.store.ContentStore;
import io.infergate.host.ipfs.store.ContentStoreOptions;
import io.infergate.host.ipfs.unixfs.DagLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume and parallel block fetches over real HTTP: the node's own gateway (and a Kubo RPC peer) on loopback,
 * with faults in front of them. Every test counts the requests each source received, so "only the missing
 * blocks were asked for" is checked exactly, not inferred from timing.
 */
class ResumeFetchTest {
  private static final long IDLE_MS = 5_000;
  private static final int PARALLEL = 4;
  private static final int CHUNK = 256 * 1024;
  @TempDir static Path dir;
  static Vertx vertx;
  static WebClient client;
  static final ExecutorService pool = Executors.newCachedThreadPool();
  static ContentStore origin;
  static Cid root;
  static byte[] fileBytes;
  static byte[] car;
  /** Every block of the DAG, root first, each once. */
  static List<Cid> dag;
  private final List<AutoCloseable> servers = new ArrayList<>();
  private static int stores;

  @BeforeAll
  static void origin() throws Exception {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    origin = ContentStore.open(dir.resolve("origin"), ContentStoreOptions.defaults(), pool);
    Path f = TestFiles.random(dir, "weights.bin", 17L * CHUNK + 1000, 21);
    fileBytes = Files.readAllBytes(f);
    root = origin.add(f, true).root();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CarExporter.create(DagLimits.defaults()).export(root, origin, out);
    car = out.toByteArray();
    dag = new ArrayList<>(List.of(root));
    PbNode.decode(origin.get(root).orElseThrow(), 1000).links().stream().map(PbLink::cid).forEach(dag::add);
    assertEquals(19, dag.size(), "root + 18 raw leaves, all distinct");
  }

  @AfterAll
  static void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
    pool.shutdownNow();
  }

  @AfterEach
  void closeServers() throws Exception {
    for (AutoCloseable s : servers) {
      s.close();
    }
  }

  private CountingGateway gateway(java.util.function.BiPredicate<RoutingContext, CountingGateway.Request> fault) {
    CountingGateway g = CountingGateway.start(vertx, origin, fault);
    servers.add(g);
    return g;
  }

  private ContentSource source(CountingGateway g) {
    return TrustlessGatewaySource.create(vertx, client, g.url(), CarLimits.defaults(), IDLE_MS);
  }

  private ContentStore store() throws Exception {
    return ContentStore.open(dir.resolve("node-" + stores++), ContentStoreOptions.defaults(), pool);
  }

  private ContentFetcher fetcher(ContentStore store, ContentSource... sources) {
    return ContentFetcher.create(vertx, store, List.of(sources), 30_000, FetchMetrics.inMemory(), PARALLEL);
  }

  /** A store holding the root and the first {@code leaves} leaves, as an earlier interrupted fetch leaves it. */
  private ContentStore partial(int leaves) throws Exception {
    ContentStore store = store();
    try (ContentStore.Session s = store.session()) {
      for (Cid cid : dag.subList(0, 1 + leaves)) {
        s.put(Block.verified(cid, origin.get(cid).orElseThrow()));
      }
    }
    return store;
  }

  private static Set<Cid> held(ContentStore store) {
    Set<Cid> held = new HashSet<>();
    dag.forEach(c -> {
      if (store.hasBlock(c)) {
        held.add(c);
      }
    });
    return held;
  }

  private static <T> T await(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().join();
  }

  private static void assertOnlyMissingRequested(List<Cid> requested, Set<Cid> heldBefore) {
    assertEquals(requested.size(), new HashSet<>(requested).size(), "each block requested once: " + requested);
    Set<Cid> missing = new HashSet<>(dag);
    missing.removeAll(heldBefore);
    assertEquals(missing, new HashSet<>(requested), "exactly the blocks the store lacked");
  }

  /** The CAR's first half, then the connection drops: a gateway dying mid-transfer. */
  private static boolean carCutInHalf(RoutingContext ctx, CountingGateway.Request r) {
    if (!r.format().equals("car")) {
      ctx.response().setStatusCode(500).end("dead");
      return true;
    }
    ctx.response().setChunked(true).putHeader("Content-Type", "application/vnd.ipld.car; version=1; order=dfs; dups=n");
    ctx.response().write(Buffer.buffer(Arrays.copyOf(car, car.length / 2)))
        .onComplete(x -> ctx.request().connection().close());
    return true;
  }

  @Test
  void carCutOffHalfwayThenAnotherGatewaySendsOnlyTheMissingBlocks() throws Exception {
    CountingGateway dying = gateway(ResumeFetchTest::carCutInHalf);
    CountingGateway second = CountingGateway.start(vertx, origin, (ctx, r) -> false);
    servers.add(second);
    ContentStore store = store();
    ContentFetcher fetcher = fetcher(store, source(dying), source(second));

    assertArrayEquals(fileBytes, Files.readAllBytes(await(fetcher.fetch(root))));

    assertEquals(List.of(root), dying.requested("car"));
    double kept = fetcher.metrics().count("infergate.ipfs.fetch.blocks", "source", "gateway " + dying.url());
    assertTrue(kept >= 2 && kept < dag.size(), "the verified half of the CAR was kept: " + kept);
    assertEquals(List.of(), second.requested("car"), "no whole-DAG request once part of it is held");
    assertEquals(dag.size() - (int) kept, second.requested("raw").size());
    assertEquals(dag.size(), new HashSet<>(second.requested("raw")).size() + (int) kept, "no block fetched twice");
    assertEquals(kept, fetcher.metrics().count("infergate.ipfs.fetch.blocks.skipped", "source", "gateway " + second.url()));
    assertTrue(fetcher.badSources().isEmpty(), "a broken transfer is not proof of malice: " + fetcher.badSources());
  }

  @Test
  void aFetchThatFailedResumesAfterARestartFromWhatItVerified() throws Exception {
    CountingGateway dying = gateway(ResumeFetchTest::carCutInHalf);
    ContentStore store = store();
    Path storeDir = dir.resolve("node-" + (stores - 1));
    assertThrows(CompletionException.class, () -> await(fetcher(store, source(dying)).fetch(root)));
    assertFalse(store.has(root));

    ContentStore reopened = ContentStore.open(storeDir, ContentStoreOptions.defaults(), pool);
    Set<Cid> heldBefore = held(reopened);
    assertTrue(heldBefore.contains(root) && heldBefore.size() < dag.size(), heldBefore.toString());
    CountingGateway good = gateway((ctx, r) -> false);
    ContentFetcher fetcher = fetcher(reopened, source(good));
    assertArrayEquals(fileBytes, Files.readAllBytes(await(fetcher.fetch(root))));
    assertEquals(List.of(), good.requested("car"));
    assertOnlyMissingRequested(good.requested("raw"), heldBefore);
  }

  @Test
  void rawGatewayDiesHalfwayThenKuboCompletesOnlyTheRest() throws Exception {
    ContentStore store = partial(3);
    Set<Cid> heldBefore = held(store);
    AtomicInteger answered = new AtomicInteger();
    CountingGateway dying = gateway((ctx, r) -> {
      if (answered.incrementAndGet() <= 5) {
        return false; // the first five requests get their block, then the gateway fails everything
      }
      ctx.response().setStatusCode(500).end("internal error");
      return true;
    });
    Kubo kubo = new Kubo();
    ContentFetcher fetcher = fetcher(store, source(dying), KuboRpcSource.create(vertx, client, kubo.url, CarLimits.defaults(), IDLE_MS));

    assertArrayEquals(fileBytes, Files.readAllBytes(await(fetcher.fetch(root))));

    List<Cid> fromGateway = dying.requested("raw").subList(0, 5);
    Set<Cid> heldAfterGateway = new HashSet<>(heldBefore);
    heldAfterGateway.addAll(fromGateway);
    assertEquals(heldBefore.size() + 5, heldAfterGateway.size(), "the gateway's five blocks were missing ones");
    assertEquals(5, fetcher.metrics().count("infergate.ipfs.fetch.blocks", "source", "gateway " + dying.url()),
        "blocks that arrived before the failure were kept");
    assertOnlyMissingRequested(kubo.blockGets(), heldAfterGateway);
    assertEquals(0, kubo.exports.get(), "no dag/export once part of the DAG is held");
    assertEquals(1, fetcher.metrics().count("infergate.ipfs.fetch.failures", "source", "gateway " + dying.url(), "reason", "other"));
    assertTrue(fetcher.badSources().isEmpty());
  }

  @Test
  void missingBlocksAreFetchedInParallelButNeverMoreThanConfigured() throws Exception {
    ContentStore store = partial(0);
    int missing = dag.size() - 1;
    // Holds block requests until PARALLEL of them wait (or all that remain): a fetcher asking one at a time would
    // never be answered, one asking more than PARALLEL would be seen here.
    Object lock = new Object();
    List<RoutingContext> waiting = new ArrayList<>();
    int[] released = {0};
    int[] mostWaiting = {0};
    CountingGateway gate = gateway((ctx, r) -> {
      if (!r.format().equals("raw")) {
        return false;
      }
      synchronized (lock) {
        waiting.add(ctx);
        mostWaiting[0] = Math.max(mostWaiting[0], waiting.size());
        if (waiting.size() == PARALLEL || released[0] + waiting.size() == missing) {
          released[0] += waiting.size();
          waiting.forEach(RoutingContext::next);
          waiting.clear();
        }
      }
      return true;
    });
    ContentFetcher fetcher = fetcher(store, source(gate));

    assertArrayEquals(fileBytes, Files.readAllBytes(await(fetcher.fetch(root))));
    assertEquals(PARALLEL, mostWaiting[0]);
    assertOnlyMissingRequested(gate.requested("raw"), Set.of(root));
  }

  @Test
  void aBlockWithWrongBytesMarksTheSourceBadAndTheNextOneFinishes() throws Exception {
    ContentStore store = partial(2);
    Cid victim = dag.get(7);
    byte[] other = origin.get(dag.get(8)).orElseThrow();
    CountingGateway liar = gateway((ctx, r) -> {
      if (!r.cid().equals(victim)) {
        return false;
      }
      ctx.response().putHeader("Content-Type", "application/vnd.ipld.raw").end(Buffer.buffer(other));
      return true;
    });
    CountingGateway good = gateway((ctx, r) -> false);
    ContentFetcher fetcher = fetcher(store, source(liar), source(good));

    assertArrayEquals(fileBytes, Files.readAllBytes(await(fetcher.fetch(root))));
    String reason = fetcher.badSources().get("gateway " + liar.url());
    assertTrue(reason != null && reason.contains(victim + " failed verification"), fetcher.badSources().toString());
    assertEquals(1, fetcher.metrics().count("infergate.ipfs.fetch.failures", "source", "gateway " + liar.url(), "reason", "verification"));
    assertTrue(good.requested("raw").contains(victim));
    assertFalse(good.requested("raw").contains(dag.get(1)), "blocks held before are never asked for");
  }

  @Test
  void aHangingBlockRequestTimesOutAndIsNotBlamed() throws Exception {
    ContentStore store = partial(4);
    CountingGateway hanging = gateway((ctx, r) -> true); // accepts, never answers
    CountingGateway good = gateway((ctx, r) -> false);
    ContentSource slow = TrustlessGatewaySource.create(vertx, client, hanging.url(), CarLimits.defaults(), 500);
    ContentFetcher fetcher = fetcher(store, slow, source(good));

    assertArrayEquals(fileBytes, Files.readAllBytes(await(fetcher.fetch(root))));
    assertEquals(PARALLEL, hanging.requests().size(), "one window of requests, then the source was given up");
    assertEquals(1, fetcher.metrics().count("infergate.ipfs.fetch.failures", "source", slow.name(), "reason", "timeout"));
    assertTrue(fetcher.badSources().isEmpty());
  }

  @Test
  void anOversizedAnswerForOneBlockIsCutOffAndTheSourceMarkedBad() throws Exception {
    ContentStore store = partial(1);
    byte[] junk = new byte[3 << 20];
    CountingGateway flood = gateway((ctx, r) -> {
      ctx.response().putHeader("Content-Type", "application/vnd.ipld.raw").end(Buffer.buffer(junk));
      return true;
    });
    CountingGateway good = gateway((ctx, r) -> false);
    ContentFetcher fetcher = fetcher(store, source(flood), source(good));

    assertArrayEquals(fileBytes, Files.readAllBytes(await(fetcher.fetch(root))));
    assertTrue(fetcher.badSources().get("gateway " + flood.url()).contains("more than a block may have"),
        fetcher.badSources().toString());
  }

  @Test
  void theBlockWalkIsBoundedByTheDagLimits() throws Exception {
    ContentStore store = ContentStore.open(dir.resolve("node-limits"),
        new ContentStoreOptions(1L << 30, DagLimits.defaults().withMaxBlocks(10), CarLimits.defaults()), pool);
    try (ContentStore.Session s = store.session()) {
      s.put(Block.verified(root, origin.get(root).orElseThrow()));
    }
    CountingGateway good = gateway((ctx, r) -> false);
    ContentFetcher fetcher = fetcher(store, source(good));
    CompletionException e = assertThrows(CompletionException.class, () -> await(fetcher.fetch(root)));
    assertTrue(e.getCause().getMessage().contains("more than 10 blocks"), e.getCause().getMessage());
    assertTrue(good.requested("raw").size() < 10, "stopped at the bound: " + good.requested("raw").size());
    assertTrue(fetcher.badSources().isEmpty(), "the DAG is at fault, not the source that served it");
  }

  /** A peer speaking Kubo's block RPC subset (POST only), counting calls. */
  private final class Kubo implements AutoCloseable {
    final AtomicInteger exports = new AtomicInteger();
    private final List<Cid> blockGets = new ArrayList<>();
    final String url;
    private final HttpServer server;

    Kubo() {
      Router router = Router.router(vertx);
      router.post("/api/v0/block/get").handler(ctx -> {
        Cid cid = Cid.parse(ctx.queryParams().get("arg"));
        synchronized (this) {
          blockGets.add(cid);
        }
        vertx.executeBlocking(() -> origin.get(cid).orElseThrow(), false)
            .onSuccess(b -> ctx.response().putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(b)));
      });
      router.post("/api/v0/dag/export").handler(ctx -> {
        exports.incrementAndGet();
        ctx.response().setStatusCode(500).end("not in this test");
      });
      server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
          .toCompletionStage().toCompletableFuture().join();
      url = "http://127.0.0.1:" + server.actualPort();
      servers.add(this);
    }

    synchronized List<Cid> blockGets() {
      return List.copyOf(blockGets);
    }

    @Override
    public void close() {
      server.close().toCompletionStage().toCompletableFuture().join();
    }
  }
}
