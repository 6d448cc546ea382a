package io.infergate.plugins.textembedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.ipfs.cid.Cid;
import io.infergate.testkit.InfergateTestHost;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Two real nodes: the second has neither the plugin nor the model on disk. It is told the plugin's CID,
 * fetches the zip and then the weights from the first node's trustless gateway, verifies every block, and
 * serves the same embeddings.
 */
class ContentDistributionIT {
  private static final String CALL = "{\"texts\": [\"A man is eating food.\"]}";

  @Test
  void aNodeFetchesPluginAndModelByCidFromAnotherNode() throws Exception {
    try (InfergateTestHost first = InfergateTestHost.builder()
        .plugin(PluginLayoutIT.ZIP).modelDirectory(PluginLayoutIT.MODELS).start()) {
      Cid pluginCid = first.host().content().store().add(PluginLayoutIT.ZIP, true).root();
      String modelCid = TextEmbeddingService.DESCRIPTOR.models().get(0).contentId();
      assertEquals(200, first.get("/ipfs/" + modelCid + "?format=raw").statusCode(), "the first node serves the model");

      try (InfergateTestHost second = InfergateTestHost.builder()
          .config("content.sources", "gateway=" + first.baseUri())
          .config("plugins.allow", pluginCid.toString())
          .start()) {
        String metadata = second.get("/v2/models/text-embedding").body();
        assertTrue(metadata.contains("\"contentId\":\"" + pluginCid + "\""), metadata);
        assertTrue(metadata.contains("\"contentId\":\"" + modelCid + "\""), metadata);

        HttpResponse<String> fromSecond = second.postJson("/v1/services/text-embedding", CALL);
        HttpResponse<String> fromFirst = first.postJson("/v1/services/text-embedding", CALL);
        assertEquals(200, fromSecond.statusCode(), fromSecond.body());
        assertEquals(fromFirst.body(), fromSecond.body(), "same plugin, same weights, same answer");

        String metrics = second.get("/metrics").body();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("infergate_ipfs_fetch_bytes_total")
            && !l.endsWith(" 0.0")), "bytes fetched are counted:\n" + metrics.lines()
            .filter(l -> l.startsWith("infergate_ipfs")).toList());
        // And now the second node can serve the model to others in turn.
        assertEquals(200, second.get("/ipfs/" + modelCid + "?format=car").statusCode());
      }
    }
  }
}
