package io.infergate.host.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.host.fixtures.TestNode;
import io.infergate.host.ipfs.NpmIpfsTools;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's content routes with CARs made by the npm IPFS tooling: imported through the admin route
 * (every block verified), served back by the trustless gateway, unpinned and collected.
 */
class ContentRoutesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void importServeUnpinAndCollectACarMadeByIpfsTooling() throws Exception {
    byte[] data = new byte[700_000];
    new Random(7).nextBytes(data);
    Path file = Files.write(dir.resolve("weights.bin"), data);
    Path car = dir.resolve("weights.car");
    JsonNode added = NpmIpfsTools.locate().add(file, car);
    String root = added.path("root").asText();

    try (TestNode node = TestNode.builder(dir.resolve("node")).start()) {
      HttpResponse<byte[]> imported = node.postBytes("/admin/content?root=" + root, Files.readAllBytes(car),
          Map.of("Content-Type", "application/vnd.ipld.car"));
      assertEquals(200, imported.statusCode(), new String(imported.body()));

      HttpResponse<String> list = node.get("/admin/content");
      assertTrue(list.body().contains("\"cid\":\"" + root + "\",\"size\":700000,\"pinned\":true"), list.body());

      HttpResponse<byte[]> back = node.postBytes("/admin/content?root=" + root, new byte[] {1, 2, 3}, Map.of());
      assertEquals(400, back.statusCode(), "a truncated CAR is refused: " + new String(back.body()));

      Path served = dir.resolve("served.car");
      Files.write(served, getBytes(node, "/ipfs/" + root + "?format=car"));
      JsonNode verified = NpmIpfsTools.locate().verifyCar(served);
      assertEquals(root, verified.path("root").asText(), verified.toString());
      assertEquals(700_000, verified.path("size").asLong(), verified.toString());

      assertEquals(200, node.get("/ipfs/" + root + "?format=raw").statusCode());
      assertEquals(400, node.get("/ipfs/not-a-cid").statusCode());

      HttpResponse<String> unpinned = send(node, "DELETE", "/admin/content/" + root);
      assertEquals(200, unpinned.statusCode(), unpinned.body());
      HttpResponse<String> gc = send(node, "POST", "/admin/content/gc");
      assertTrue(JSON.readTree(gc.body()).path("removedFiles").asInt() >= 1, gc.body());
      assertEquals(404, node.get("/ipfs/" + root + "?format=raw").statusCode(), "collected content is gone");
    }
  }

  private static byte[] getBytes(TestNode node, String path) throws Exception {
    return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(java.net.http.HttpRequest.newBuilder(node.uri(path)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray()).body();
  }

  private static HttpResponse<String> send(TestNode node, String method, String path) throws Exception {
    return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(java.net.http.HttpRequest.newBuilder(node.uri(path))
        .method(method, java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}
