package io.infergate.host.ipfs.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.ipfs.NpmIpfsTools;
import io.infergate.host.ipfs.TestFiles;
import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.block.BlockVerificationException;
import io.infergate.host.ipfs.car.CarExporter;
import io.infergate.host.ipfs.car.CarLimits;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.Codec;
import io.infergate.host.ipfs.gateway.GatewayTestServer;
import io.infergate.host.ipfs.store.ContentStore;
import io.infergate.host.ipfs.store.ContentStoreOptions;
import io.infergate.host.ipfs.unixfs.DagLimits;
import io.infergate.host.ipfs.unixfs.ImportResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching over real HTTP from peers on loopback: another node's trustless gateway, a peer speaking Kubo's
 * RPC subset, and misbehaving gateways (hanging, HTML, corrupt block, wrong root); and from npm-made CARs.
 */
class ContentFetcherTest {
  private static final long IDLE_MS = 500;
  @TempDir static Path dir;
  static Vertx vertx;
  static WebClient client;
  static ExecutorService pool = Executors.newCachedThreadPool();
  static ContentStore origin;
  static ImportResult model;
  static byte[] modelBytes;
  static GatewayTestServer originGateway;
  static final List<HttpServer> servers = new ArrayList<>();
  static final AtomicInteger kuboExports = new AtomicInteger();
  static final Cid LIE = Cid.compute(Codec.DAG_PB, new byte[] {1});
  static String kubo;
  static String hanging;
  static String html;
  static String corrupt;
  static String wrongRoot;

  @BeforeAll
  static void peers() throws Exception {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    origin = ContentStore.open(dir.resolve("origin"), ContentStoreOptions.defaults(), pool);
    Path f = TestFiles.random(dir, "model.onnx", 1_500_000, 7);
    modelBytes = Files.readAllBytes(f);
    model = origin.add(f, true);
    originGateway = GatewayTestServer.start(vertx, origin);

    byte[] car = carOf(model.root());
    byte[] bad = car.clone();
    bad[bad.length / 2] ^= 1;
    Cid other = origin.add(TestFiles.random(dir, "other", 1000, 8), false).root();
    byte[] otherCar = carOf(other);

    kubo = serve(router -> {
      router.post("/api/v0/dag/export").handler(ctx -> {
        kuboExports.incrementAndGet();
        Cid cid = Cid.parse(ctx.queryParams().get("arg"));
        vertx.executeBlocking(() -> carOf(cid), false).onSuccess(b ->
            vertx.setTimer(200, t -> ctx.response().putHeader("Content-Type", "application/vnd.ipld.car").end(Buffer.buffer(b))));
      });
      router.post("/api/v0/block/get").handler(ctx -> {
        Cid cid = Cid.parse(ctx.queryParams().get("arg"));
        // LIE is answered with another block's bytes, as a broken or malicious peer would.
        ctx.response().end(Buffer.buffer(origin.get(cid.equals(LIE) ? model.root() : cid).orElseThrow()));
      });
      router.get("/api/v0/*").handler(ctx -> ctx.response().setStatusCode(405).end("405 - Method Not Allowed"));
    });
    hanging = serve(router -> router.get("/ipfs/:cid").handler(ctx -> { /* never answers */ }));
    html = serve(router -> router.get("/ipfs/:cid").handler(ctx ->
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end("<html><body>Welcome!</body></html>")));
    corrupt = carServer(bad);
    wrongRoot = carServer(otherCar);
  }

  @AfterAll
  static void stop() {
    originGateway.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    pool.shutdownNow();
  }

  static byte[] carOf(Cid root) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CarExporter.create(DagLimits.defaults()).export(root, origin, out);
    return out.toByteArray();
  }

  static String carServer(byte[] car) {
    return serve(router -> router.get("/ipfs/:cid").handler(ctx ->
        ctx.response().putHeader("Content-Type", "application/vnd.ipld.car; version=1").end(Buffer.buffer(car))));
  }

  static String serve(java.util.function.Consumer<Router> routes) {
    Router router = Router.router(vertx);
    routes.accept(router);
    HttpServer s = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage()
        .toCompletableFuture().join();
    servers.add(s);
    return "http://127.0.0.1:" + s.actualPort();
  }

  private ContentStore freshStore(String name) throws Exception {
    return ContentStore.open(dir.resolve(name), ContentStoreOptions.defaults(), pool);
  }

  private ContentSource gateway(String url) {
    return TrustlessGatewaySource.create(vertx, client, url, CarLimits.defaults(), IDLE_MS);
  }

  private static <T> T await(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void badSourcesAreSkippedAndMarkedThenKuboDelivers() throws Exception {
    ContentStore store = freshStore("node-a");
    // The corrupt CAR goes last among the gateways: the blocks before its bad one verify and are kept, so
    // Kubo is then asked only for the rest, block by block.
    int exportsBefore = kuboExports.get();
    ContentFetcher fetcher = ContentFetcher.create(vertx, store, List.of(gateway(hanging), gateway(html),
        gateway(wrongRoot), gateway(corrupt), KuboRpcSource.create(vertx, client, kubo, CarLimits.defaults(), IDLE_MS)), 30_000);
    Path p = await(fetcher.fetch(model.root()));
    assertArrayEquals(modelBytes, Files.readAllBytes(p));
    var bad = fetcher.badSources();
    assertTrue(bad.containsKey("gateway " + html) && bad.get("gateway " + html).contains("HTML"), bad.toString());
    assertTrue(bad.get("gateway " + corrupt).contains("do not hash to the CID"), bad.toString());
    assertTrue(bad.get("gateway " + wrongRoot).contains("do not include the requested"), bad.toString());
    assertFalse(bad.containsKey("gateway " + hanging), "a timeout is not proof of malice");
    assertEquals(3, bad.size());
    FetchMetrics m = fetcher.metrics();
    assertEquals(1, m.count("infergate.ipfs.fetch.failures", "source", "gateway " + corrupt, "reason", "verification"));
    assertEquals(1, m.count("infergate.ipfs.fetch.failures", "source", "gateway " + html, "reason", "untrusted"));
    double kuboBytes = m.count("infergate.ipfs.fetch.bytes", "source", "kubo " + kubo);
    assertTrue(kuboBytes > 0 && kuboBytes < modelBytes.length, "Kubo sent only what the corrupt CAR had not: " + kuboBytes);
    assertEquals(m.count("infergate.ipfs.fetch.blocks", "source", "gateway " + corrupt),
        m.count("infergate.ipfs.fetch.blocks.skipped", "source", "kubo " + kubo), "blocks kept from before the bad one");
    assertEquals(exportsBefore, kuboExports.get(), "no dag/export once part of the DAG is held");
    await(fetcher.fetch(model.root()));
    assertEquals(1, m.count("infergate.ipfs.fetch.cache.hits"));
  }

  @Test
  void aSourceThatTakesTooLongIsAbandonedNotBlamed() throws Exception {
    // The hanging gateway keeps the connection open; with a long idle timeout only the deadline ends it.
    ContentStore store = freshStore("node-f");
    ContentSource slow = TrustlessGatewaySource.create(vertx, client, hanging, CarLimits.defaults(), 600_000);
    ContentFetcher fetcher = ContentFetcher.create(vertx, store,
        List.of(slow, KuboRpcSource.create(vertx, client, kubo, CarLimits.defaults(), IDLE_MS)), 1_000);
    assertArrayEquals(modelBytes, Files.readAllBytes(await(fetcher.fetch(model.root()))));
    assertEquals(1, fetcher.metrics().count("infergate.ipfs.fetch.failures", "source", slow.name(), "reason", "timeout"));
    assertTrue(fetcher.badSources().isEmpty());
  }

  @Test
  void fetchesFromAnotherNodesGateway() throws Exception {
    ContentStore store = freshStore("node-b");
    ContentFetcher fetcher = ContentFetcher.create(vertx, store, List.of(gateway(originGateway.url())), 30_000);
    assertArrayEquals(modelBytes, Files.readAllBytes(await(fetcher.fetch(model.root()))));
    assertTrue(store.has(model.root()));
  }

  @Test
  void offlineNodeImportsNpmCarFiles() throws Exception {
    Path cars = Files.createDirectories(dir.resolve("cars"));
    Path f = TestFiles.random(dir, "offline", 600_000, 12);
    Files.writeString(cars.resolve("junk.car"), "not a car");
    Cid root = Cid.parse(NpmIpfsTools.locate().add(f, cars.resolve("model.car")).get("root").asText());
    ContentStore store = freshStore("node-c");
    ContentFetcher fetcher = ContentFetcher.create(vertx, store,
        List.of(CarFileSource.create(vertx, cars, CarLimits.defaults())), 30_000);
    assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(await(fetcher.fetch(root))));
  }

  @Test
  void twoConcurrentFetchesDownloadOnce() throws Exception {
    ContentStore store = freshStore("node-d");
    int before = kuboExports.get();
    ContentFetcher fetcher = ContentFetcher.create(vertx, store,
        List.of(KuboRpcSource.create(vertx, client, kubo, CarLimits.defaults(), IDLE_MS)), 30_000);
    Future<Path> a = fetcher.fetch(model.root());
    Future<Path> b = fetcher.fetch(model.root());
    assertEquals(await(a), await(b));
    assertEquals(before + 1, kuboExports.get(), "one download for both callers");
  }

  @Test
  void allSourcesFailingSaysWhatEachDid() throws Exception {
    ContentStore store = freshStore("node-e");
    ContentFetcher fetcher = ContentFetcher.create(vertx, store, List.of(gateway(hanging), gateway(html)), 30_000);
    CompletionException e = assertThrows(CompletionException.class, () -> await(fetcher.fetch(model.root())));
    String m = e.getCause().getMessage();
    assertTrue(m.contains("no source could provide " + model.root()), m);
    assertTrue(m.contains("gateway " + hanging) && m.contains("gateway " + html), m);
    assertFalse(store.has(model.root()));
  }

  @Test
  void kuboBlockGetIsVerified() {
    KuboRpcSource source = KuboRpcSource.create(vertx, client, kubo, CarLimits.defaults(), IDLE_MS);
    Block root = await(source.blockGet(model.root()));
    assertEquals(model.root(), root.cid());
    CompletionException e = assertThrows(CompletionException.class, () -> await(source.blockGet(LIE)));
    assertTrue(e.getCause() instanceof BlockVerificationException, e.toString());
    assertEquals(405, await(client.getAbs(kubo + "/api/v0/block/get?arg=" + model.root()).send()).statusCode(),
        "the peer, like Kubo, refuses GET on the RPC");
  }
}
