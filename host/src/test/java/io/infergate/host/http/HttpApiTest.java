package io.infergate.host.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.host.fixtures.TestNode;
import io.infergate.host.fixtures.TestPluginZip;
import io.infergate.host.testplugins.DoublerService;
import io.infergate.host.testplugins.FailingService;
import io.infergate.host.testplugins.FloatsAdapter;
import io.infergate.host.testplugins.SleepingService;
import io.infergate.host.testplugins.TestModels;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's HTTP API end to end: real plugins loaded by PF4J, a real ORT model, real sockets. */
class HttpApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.builder(dir)
        .plugin(TestPluginZip.plugin("doubler").extension(DoublerService.class).include(TestModels.class))
        .plugin(TestPluginZip.plugin("failing").extension(FailingService.class).include(FloatsAdapter.class))
        .plugin(TestPluginZip.plugin("sleeping").extension(SleepingService.class).include(FloatsAdapter.class))
        .set("inference.workers", "1")
        .set("inference.queue-size", "1")
        .set("inference.timeout-ms", "1500")
        .set("http.max-body-bytes", "65536")
        .start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  static void assertError(HttpResponse<String> r, int status, String fragment) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), "JSON error body");
    String error = json(r).path("error").asText();
    assertTrue(error.contains(fragment), "error should mention '" + fragment + "' but was: " + error);
  }

  @Test
  void healthAndServerMetadata() throws Exception {
    assertEquals(200, node.get("/v2/health/live").statusCode());
    assertEquals(true, json(node.get("/v2/health/live")).path("live").asBoolean());
    HttpResponse<String> ready = node.get("/v2/health/ready");
    assertEquals(200, ready.statusCode());
    assertEquals(true, json(ready).path("ready").asBoolean());
    JsonNode server = json(node.get("/v2"));
    assertEquals("infergate", server.path("name").asText());
    assertTrue(server.path("extensions").toString().contains("binary_tensor_data"));
  }

  @Test
  void modelMetadataShowsSignaturePriceContentIdsAndExecutionProvider() throws Exception {
    JsonNode m = json(node.get("/v2/models/doubler"));
    assertEquals("doubler", m.path("name").asText());
    assertEquals("[\"1.0.0\"]", m.path("versions").toString());
    assertEquals("{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,4]}", m.path("inputs").get(0).toString());
    assertEquals("10", m.path("price").path("maxPerCall").asText());
    assertEquals(TestModels.contentId(TestModels.DOUBLER), m.path("models").get(0).path("contentId").asText());
    assertEquals("cpu", m.path("models").get(0).path("executionProvider").asText());
    assertTrue(m.path("plugin").path("contentId").asText().startsWith("sha256:"));
    assertEquals(200, node.get("/v2/models/doubler/ready").statusCode());
    assertEquals(200, node.get("/v2/models/doubler/versions/1.0.0").statusCode());
    assertTrue(json(node.get("/v2/models")).toString().contains("\"doubler\""));
  }

  @Test
  void unknownModelsVersionsAndRoutesAre404WithAReason() throws Exception {
    assertError(node.get("/v2/models/nope"), 404, "no model named 'nope'");
    assertError(node.get("/v2/models/doubler/versions/9.9.9"), 404, "no version '9.9.9'");
    assertError(node.postJson("/v1/services/nope", "{}"), 404, "no service named 'nope'");
    assertError(node.get("/v3/whatever"), 404, "no route");
  }

  @Test
  void jsonServiceRouteRunsTheModel() throws Exception {
    HttpResponse<String> r = node.postJson("/v1/services/doubler", "{\"values\":[[1,2,3,4],[0.5,0,-1,2.25]]}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("{\"doubled\":[[2.0,4.0,6.0,8.0],[1.0,0.0,-2.0,4.5]]}", r.body());
  }

  @Test
  void badJsonAndBadInputAre400() throws Exception {
    assertError(node.postJson("/v1/services/doubler", "{\"values\": [[1,2"), 400, "not a JSON object");
    assertError(node.postJson("/v1/services/doubler", "[1,2]"), 400, "not a JSON object");
    assertError(node.postJson("/v1/services/doubler", ""), 400, "empty");
    assertError(node.postJson("/v1/services/doubler", "{\"values\":[[1,2,3]]}"), 400, "values[0] must be an array of 4 numbers");
    String nine = "{\"values\":[" + String.join(",", java.util.Collections.nCopies(9, "[1,2,3,4]")) + "]}";
    assertError(node.postJson("/v1/services/doubler", nine), 400, "at most 8 items");
  }

  @Test
  void oversizeBodyIs413() throws Exception {
    String big = "{\"values\":[[" + "1,".repeat(40_000) + "1]]}";
    assertError(node.postJson("/v1/services/doubler", big), 413, "http.max-body-bytes=65536");
  }

  @Test
  void aThrowingPluginIs500AndCounted() throws Exception {
    assertError(node.postJson("/v1/services/failing", "{\"x\":[1]}"), 500, "the plugin broke on purpose");
    String metrics = node.get("/metrics").body();
    assertTrue(metrics.contains("infergate_requests_total{model=\"failing\",outcome=\"failure\",reason=\"service_failed\"}"),
        "failure counted by reason");
  }

  @Test
  void aHangingPluginTimesOutWith504AndAFullQueueAnswers503() throws Exception {
    // One worker, one queue slot: the first call hangs on the worker, the second waits, the third is refused.
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      calls.add(CompletableFuture.supplyAsync(() -> node.postJson("/v1/services/sleeping", "{\"x\":[1]}")));
      awaitInFlight("sleeping", i + 1);
    }
    HttpResponse<String> refused = node.postJson("/v1/services/sleeping", "{\"x\":[1]}");
    assertError(refused, 503, "at capacity");
    assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
    for (CompletableFuture<HttpResponse<String>> c : calls) {
      assertError(c.get(), 504, "inference.timeout-ms=1500");
    }
    // Other services are unaffected.
    assertEquals(200, node.postJson("/v1/services/doubler", "{\"values\":[[1,1,1,1]]}").statusCode());
  }

  @Test
  void metricsExposeCallJvmAndVertxMeters() throws Exception {
    node.postJson("/v1/services/doubler", "{\"values\":[[1,1,1,1]]}");
    String m = node.get("/metrics").body();
    for (String name : List.of("infergate_requests_total{model=\"doubler\",outcome=\"success\"",
        "infergate_queue_duration_seconds_bucket", "infergate_compute_duration_seconds_count",
        "infergate_requests_in_flight{model=\"doubler\"}", "jvm_memory_used_bytes", "vertx_http_server_requests_total")) {
      assertTrue(m.contains(name), "metrics should contain " + name);
    }
  }

  @Test
  void oipJsonInferenceRunsTheModelAndEchoesTheId() throws Exception {
    HttpResponse<String> r = node.postJson("/v2/models/doubler/infer",
        "{\"id\":\"call-7\",\"inputs\":[{\"name\":\"x\",\"shape\":[2,4],\"datatype\":\"FP32\","
            + "\"data\":[[1,2,3,4],[5,6,7,8]]}]}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals("call-7", body.path("id").asText());
    assertEquals("doubler", body.path("model_name").asText());
    JsonNode y = body.path("outputs").get(0);
    assertEquals("y", y.path("name").asText());
    assertEquals("[2,4]", y.path("shape").toString());
    assertEquals("[2.0,4.0,6.0,8.0,10.0,12.0,14.0,16.0]", y.path("data").toString());
    assertEquals(200, node.postJson("/v2/models/doubler/versions/1.0.0/infer",
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}").statusCode());
  }

  @Test
  void oipBinaryTensorExtensionRoundTrips() throws Exception {
    String header = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\","
        + "\"parameters\":{\"binary_data_size\":16}}],\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":true}}]}";
    byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(h.length + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    body.put(h).putFloat(1.5f).putFloat(-2f).putFloat(0f).putFloat(3.25f);
    HttpResponse<byte[]> r = node.postBytes("/v2/models/doubler/infer", body.array(),
        java.util.Map.of("Content-Type", "application/octet-stream", "Inference-Header-Content-Length", Integer.toString(h.length)));
    assertEquals(200, r.statusCode(), new String(r.body()));
    int jsonLength = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
    JsonNode meta = JSON.readTree(java.util.Arrays.copyOf(r.body(), jsonLength));
    assertEquals(16, meta.path("outputs").get(0).path("parameters").path("binary_data_size").asInt());
    java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(r.body(), jsonLength, 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals(3f, out.getFloat());
    assertEquals(-4f, out.getFloat());
    assertEquals(0f, out.getFloat());
    assertEquals(6.5f, out.getFloat());
  }

  @Test
  void oipValidationErrorsSayWhatIsWrong() throws Exception {
    assertError(node.postJson("/v2/models/doubler/infer",
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}"), 400, "x");
    assertError(node.postJson("/v2/models/doubler/infer",
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"INT64\",\"data\":[1,2,3,4]}]}"), 400, "INT64");
    assertError(node.postJson("/v2/models/doubler/infer",
        "{\"inputs\":[{\"name\":\"z\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}"), 400, "z");
    assertError(node.postJson("/v2/models/doubler/infer",
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}"), 400, "x");
    assertError(node.postJson("/v2/models/doubler/infer", "{nope"), 400, "JSON");
    assertError(node.postJson("/v2/models/nope/infer", "{}"), 404, "no model named 'nope'");
    // Failures inside the service keep their status on the OIP route too.
    assertError(node.postJson("/v2/models/failing/infer",
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}"), 500, "broke on purpose");
  }

  private static void awaitInFlight(String model, int n) throws InterruptedException {
    String gauge = "infergate_requests_in_flight{model=\"" + model + "\"} " + n + ".0";
    for (int i = 0; i < 200; i++) {
      if (node.get("/metrics").body().contains(gauge)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("in-flight gauge never reached " + n);
  }
}
