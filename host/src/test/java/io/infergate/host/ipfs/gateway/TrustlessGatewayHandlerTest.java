package io.infergate.host.ipfs.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.ipfs.NpmIpfsTools;
import io.infergate.host.ipfs.TestFiles;
import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.block.MemoryBlockStore;
import io.infergate.host.ipfs.car.CarLimits;
import io.infergate.host.ipfs.car.CarReader;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.Codec;
import io.infergate.host.ipfs.store.ContentStore;
import io.infergate.host.ipfs.store.ContentStoreOptions;
import io.infergate.host.ipfs.unixfs.FileAssembler;
import io.infergate.host.ipfs.unixfs.ImportResult;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustlessGatewayHandlerTest {
  @TempDir static Path dir;
  static Vertx vertx;
  static WebClient client;
  static GatewayTestServer server;
  static ContentStore store;
  static ImportResult model;
  static byte[] modelBytes;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    store = ContentStore.open(dir.resolve("store"), ContentStoreOptions.defaults(), Executors.newCachedThreadPool());
    Path f = TestFiles.random(dir, "model", 1_000_000, 42);
    modelBytes = Files.readAllBytes(f);
    model = store.add(f, true);
    server = GatewayTestServer.start(vertx, store);
  }

  @AfterAll
  static void stop() {
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private HttpResponse<Buffer> get(String path, String accept) {
    var req = client.get(server.port(), "127.0.0.1", path);
    if (accept != null) {
      req.putHeader("Accept", accept);
    }
    return req.send().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void rawBlockByFormatOrAccept() {
    for (HttpResponse<Buffer> r : new HttpResponse[] {get("/ipfs/" + model.root() + "?format=raw", null),
        get("/ipfs/" + model.root(), "application/vnd.ipld.raw")}) {
      assertEquals(200, r.statusCode());
      assertEquals("application/vnd.ipld.raw", r.getHeader("Content-Type"));
      assertEquals("public, max-age=29030400, immutable", r.getHeader("Cache-Control"));
      assertEquals("\"" + model.root() + ".raw\"", r.getHeader("ETag"));
      assertTrue(r.getHeader("Content-Disposition").startsWith("attachment"));
      assertTrue(model.root().verify(r.body().getBytes()), "the body hashes to the CID");
    }
  }

  @Test
  void carStreamAssemblesAndVerifiesInNpm() throws Exception {
    HttpResponse<Buffer> r = get("/ipfs/" + model.root(), "application/vnd.ipld.car");
    assertEquals(200, r.statusCode());
    assertEquals("application/vnd.ipld.car; version=1; order=dfs; dups=n", r.getHeader("Content-Type"));
    assertEquals("\"" + model.root() + ".car\"", r.getHeader("ETag"));
    MemoryBlockStore blocks = new MemoryBlockStore();
    CarReader.readAll(new ByteArrayInputStream(r.body().getBytes()), model.root(), blocks, CarLimits.defaults());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FileAssembler.create().writeTo(model.root(), blocks, out);
    assertArrayEquals(modelBytes, out.toByteArray());
    Path car = dir.resolve("gw.car");
    Files.write(car, r.body().getBytes());
    assertEquals(modelBytes.length, NpmIpfsTools.locate().verifyCar(car).get("size").asInt());
  }

  @Test
  void carBlockScopeHasOnlyTheRoot() throws Exception {
    HttpResponse<Buffer> r = get("/ipfs/" + model.root() + "?format=car&dag-scope=block", null);
    assertEquals(200, r.statusCode());
    assertEquals("\"" + model.root() + ".car.block\"", r.getHeader("ETag"));
    try (CarReader car = CarReader.open(new ByteArrayInputStream(r.body().getBytes()), CarLimits.defaults())) {
      assertEquals(model.root(), car.next().orElseThrow().cid());
      assertTrue(car.next().isEmpty());
    }
  }

  @Test
  void v0AndBase58FormsOfTheSameContentAreServed() {
    Cid leaf = Cid.compute(Codec.RAW, java.util.Arrays.copyOf(modelBytes, 262144));
    assertEquals(200, get("/ipfs/" + leaf.toBase58btc() + "?format=raw", null).statusCode());
    assertEquals(200, get("/ipfs/" + Cid.v0(model.root().multihash()) + "?format=raw", null).statusCode());
  }

  @Test
  void conditionalAndHeadRequests() {
    var r = client.get(server.port(), "127.0.0.1", "/ipfs/" + model.root() + "?format=raw")
        .putHeader("If-None-Match", "\"" + model.root() + ".raw\"").send().toCompletionStage().toCompletableFuture().join();
    assertEquals(304, r.statusCode());
    var head = client.request(HttpMethod.HEAD, server.port(), "127.0.0.1", "/ipfs/" + model.root() + "?format=raw")
        .send().toCompletionStage().toCompletableFuture().join();
    assertEquals(200, head.statusCode());
    assertTrue(Integer.parseInt(head.getHeader("Content-Length")) > 0);
  }

  @Test
  void errorsSayWhatToDo() {
    Cid absent = Cid.compute(Codec.RAW, new byte[] {9, 9});
    var notFound = get("/ipfs/" + absent + "?format=raw", null);
    assertEquals(404, notFound.statusCode());
    assertTrue(notFound.bodyAsString().contains("does not hold " + absent));
    var badCid = get("/ipfs/not-a-cid?format=raw", null);
    assertEquals(400, badCid.statusCode());
    assertTrue(badCid.bodyAsString().contains("invalid CID"), badCid.bodyAsString());
    var cbor = get("/ipfs/bafyreidykglsfhoixmivffc5uwhcgshx4j465xwqntbmu43nb2dzqwfvae?format=raw", null);
    assertEquals(400, cbor.statusCode());
    assertTrue(cbor.bodyAsString().contains("dag-cbor"));
    var noFormat = get("/ipfs/" + model.root(), "text/html");
    assertEquals(400, noFormat.statusCode());
    assertTrue(noFormat.bodyAsString().contains("format=raw"));
    assertEquals(400, get("/ipfs/" + model.root() + "?format=tar", null).statusCode());
    assertEquals(400, get("/ipfs/" + model.root() + "?format=car&entity-bytes=0:10", null).statusCode());
  }

  @Test
  void missingChildCutsTheCarStream() {
    MemoryBlockStore partial = new MemoryBlockStore();
    store.get(model.root()).ifPresent(b -> partial.put(Block.verified(model.root(), b)));
    try (GatewayTestServer s = GatewayTestServer.start(vertx, partial)) {
      var fut = client.get(s.port(), "127.0.0.1", "/ipfs/" + model.root() + "?format=car").send()
          .toCompletionStage().toCompletableFuture();
      // Either the response fails outright or its body is an incomplete CAR: never a complete, valid one.
      try {
        byte[] body = fut.join().body().getBytes();
        MemoryBlockStore got = new MemoryBlockStore();
        assertThrows(Exception.class, () -> {
          CarReader.readAll(new ByteArrayInputStream(body), model.root(), got, CarLimits.defaults());
          FileAssembler.create().writeTo(model.root(), got, new ByteArrayOutputStream());
        });
      } catch (java.util.concurrent.CompletionException expected) {
        // connection reset mid-stream
      }
    }
  }
}
