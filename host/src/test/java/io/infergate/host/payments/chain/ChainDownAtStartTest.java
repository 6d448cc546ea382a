package io.infergate.host.payments.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.host.fixtures.TestNode;
import io.infergate.host.fixtures.TestPluginZip;
import io.infergate.host.testplugins.DoublerService;
import io.infergate.host.testplugins.TestModels;
import io.infergate.x402.crypto.PrivateKey;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node whose chain RPC is down at start still starts, serves, and says so in readiness. */
class ChainDownAtStartTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void theNodeStartsDegradedAndReportsTheChain() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();       // closed again: nothing answers there
    }
    PrivateKey facilitator = PrivateKey.random();
    PrivateKey authorizer = PrivateKey.random();
    try (TestNode node = TestNode.builder(dir)
        .plugin(TestPluginZip.plugin("doubler").extension(DoublerService.class).include(TestModels.class))
        .env(Map.of("INFERGATE_FACILITATOR_KEY", facilitator.exportSecretHex(),
            "INFERGATE_RECEIVER_AUTHORIZER_KEY", authorizer.exportSecretHex()))
        .env(io.infergate.host.fixtures.TestReceipts.env(PrivateKey.random()))
        .setAll(io.infergate.host.fixtures.TestReceipts.config())
        .set("payments.enabled", "true")
        .set("payments.rpc-url", "http://127.0.0.1:" + deadPort)
        .set("payments.chain-poll-ms", "50")
        .set("payments.asset", PrivateKey.random().address().toString())
        .set("payments.asset-name", "DevUSD")
        .set("payments.pay-to", facilitator.address().toString())
        .set("payments.receiver-authorizer", authorizer.address().toString())
        .set("payments.ledger", dir.resolve("ledger.sqlite").toString())
        .start()) {
      String chain = "";
      for (int i = 0; i < 100 && !chain.startsWith("unreachable"); i++) {
        Thread.sleep(50);
        chain = JSON.readTree(node.get("/v2/health/ready").body()).path("payments").path("chain").asText();
      }
      assertTrue(chain.startsWith("unreachable"), chain);
      assertEquals(200, node.get("/v2/health/ready").statusCode(), "still ready: known channels keep working");
      assertEquals(402, node.postJson("/v1/services/doubler", "{\"values\":[[1,2,3,4]]}").statusCode());
    }
  }
}
