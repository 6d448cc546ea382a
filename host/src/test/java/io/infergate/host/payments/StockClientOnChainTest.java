package io.infergate.host.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.contracts.generated.ServiceRegistry;
import io.infergate.x402.X402Reference;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.RequestHash;
import java.util.List;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.host.fixtures.TestNode;
import io.infergate.host.fixtures.TestPluginZip;
import io.infergate.host.payments.chain.DevNetwork;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.testplugins.DoublerService;
import io.infergate.host.testplugins.TestModels;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The whole payment path with parts we did not write on the other side: the stock npm x402 client
 * ({@code @x402/fetch} + {@code @x402/evm} batch-settlement, unchanged) pays a node running on a real anvil
 * with the real contracts. Its first call carries an ERC-3009 deposit that the node submits as facilitator;
 * the next ones carry cumulative vouchers; then the node claims on chain what it charged.
 */
class StockClientOnChainTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void theStockX402ClientPaysAndTheNodeClaimsOnChain() throws Exception {
    try (DevNetwork network = DevNetwork.start()) {
      Path ledgerFile = dir.resolve("ledger.sqlite");
      try (TestNode node = TestNode.builder(dir.resolve("node"))
          .plugin(TestPluginZip.plugin("doubler").extension(DoublerService.class).include(TestModels.class))
          .env(network.nodeEnvironment())
          .set("payments.ledger", ledgerFile.toString())
          .set("payments.claims.min-unclaimed", "1")
          .set("payments.claims.tick-ms", "600000")
          .setAll(network.nodeConfig())
          .start()) {
        JsonNode calls = runStockClient(node.uri("/v1/services/doubler").toString(), network.consumer().exportSecretHex(),
            "{\"values\":[[1,2,3,4]]}", 3);
        assertEquals(3, calls.size(), calls.toString());
        BigInteger charged = BigInteger.ZERO;
        String channelId = null;
        for (JsonNode call : calls) {
          assertEquals(200, call.path("status").asInt(), call.toString());
          assertEquals("{\"doubled\":[[2.0,4.0,6.0,8.0]]}", call.path("body").asText());
          JsonNode extra = call.path("paymentResponse").path("extra");
          charged = charged.add(new BigInteger(extra.path("chargedAmount").asText()));
          assertEquals(charged.toString(), extra.path("channelState").path("chargedCumulativeAmount").asText());
          channelId = extra.path("channelState").path("channelId").asText();
        }
        assertEquals(BigInteger.valueOf(30), charged, "three calls at the doubler's price of 10");

        // Each answer carried its inference receipt, in PAYMENT-RESPONSE extensions (which the stock client decoded
        // without complaint), named by the Infergate-Receipt-Id header; viem recovers the signer the registry lists.
        var service = node.host().plugins().catalog().find("doubler").orElseThrow();
        network.register("doubler", service.pluginContentId(), List.of(TestModels.contentId(TestModels.DOUBLER)),
            BigInteger.TEN, node.uri("/").toString());
        ServiceRegistry registry = ServiceRegistry.load(network.contracts().serviceRegistry(), network.chain().web3j(),
            new ReadonlyTransactionManager(network.chain().web3j(), network.provider().address().toString()),
            new DefaultGasProvider());
        try (X402Reference viem = X402Reference.start()) {
          long seq = 0;
          for (JsonNode call : calls) {
            JsonNode doc = call.path("paymentResponse").path("extensions").path("inference-receipt");
            assertEquals(doc.path("id").asText(), call.path("receiptId").asText(),
                "the Infergate-Receipt-Id header names the receipt PAYMENT-RESPONSE carries");
            ObjectNode req = X402Reference.request("receipt");
            req.set("doc", doc);
            JsonNode recovered = viem.call(req);
            assertEquals(doc.path("id").asText(), recovered.path("digest").asText());
            assertEquals(network.receiptSigner().address().toChecksumString(), recovered.path("signer").asText());
            assertTrue(registry.isReceiptSigner(network.provider().address().toString(),
                recovered.path("signer").asText()).send(), "the registry lists the receipt signer");
            ObjectNode std = X402Reference.request("offerReceipt").put("kind", "receipt");
            std.set("artifact", call.path("paymentResponse").path("extensions").path("offer-receipt").path("info")
                .path("receipt"));
            assertEquals(network.receiptSigner().address().toChecksumString(), viem.call(std).path("signer").asText(),
                "the standard x402 offer-receipt receipt, as the stock client received it");
            JsonNode m = doc.path("message");
            assertEquals(seq++, m.path("seq").asLong());
            assertEquals(Bytes32.keccak(call.path("body").asText().getBytes(StandardCharsets.UTF_8)).toString(),
                m.path("responseHash").asText(), "responseHash covers the bytes the client received");
            assertEquals(RequestHash.of("doubler", "/v1/services/doubler", 0,
                "{\"values\":[[1,2,3,4]]}".getBytes(StandardCharsets.UTF_8)).toString(), m.path("requestHash").asText());
            assertEquals(network.provider().address().toChecksumString(), m.path("provider").asText());
            assertEquals(network.contracts().receiptAnchor().toLowerCase(),
                doc.path("domain").path("verifyingContract").asText().toLowerCase());
          }
        }

        ChannelLedger ledger = node.host().ledger().orElseThrow();      // the running node owns the file
        ChannelState state = ledger.get(channelId).orElseThrow();
        assertEquals(BigInteger.valueOf(30), state.chargedCumulativeAmount());
        assertTrue(state.chain().balance().compareTo(BigInteger.valueOf(30)) >= 0, "the deposit was mirrored: " + state);

        node.host().chain().orElseThrow().claims().runOnce();
        BatchSettlement contract = BatchSettlement.load(network.contracts().batchSettlement(), network.chain().web3j(),
            new ReadonlyTransactionManager(network.chain().web3j(), network.provider().address().toString()),
            new DefaultGasProvider());
        var onChain = contract.channels(org.web3j.utils.Numeric.hexStringToByteArray(channelId)).send();
        assertEquals(BigInteger.valueOf(30), onChain.component2(), "totalClaimed on chain equals what was charged");

        // Operators see the money per token, exactly, and the chain connection.
        JsonNode report = JSON.readTree(node.get("/admin/payments").body());
        JsonNode token = report.path("tokens").get(0);
        assertEquals("30", token.path("charged").asText(), report.toString());
        assertEquals("0", token.path("unclaimed").asText(), report.toString());
        // A SQLite ledger has one node: it always leads the claims.
        assertEquals("single-node", report.path("claimsLeader").path("election").asText(), report.toString());
        assertTrue(report.path("claimsLeader").path("leader").asBoolean(), report.toString());
        assertEquals("ok", JSON.readTree(node.get("/v2/health/ready").body()).path("payments").path("chain").asText());

        // The chain goes away: the node stays ready (known channels keep working) but says so.
        network.chain().close();
        String chainState = "";
        for (int i = 0; i < 100 && !chainState.startsWith("unreachable"); i++) {
          Thread.sleep(100);
          chainState = JSON.readTree(node.get("/v2/health/ready").body()).path("payments").path("chain").asText();
        }
        assertTrue(chainState.startsWith("unreachable"), "readiness should report the lost chain: " + chainState);
        assertEquals(200, node.get("/v2/health/ready").statusCode());
      }
    }
  }

  static JsonNode runStockClient(String url, String key, String body, int calls) throws IOException, InterruptedException {
    Path repo = Path.of("").toAbsolutePath();
    while (repo != null && !Files.isRegularFile(repo.resolve("tools/package.json"))) {
      repo = repo.getParent();
    }
    if (repo == null || !Files.isDirectory(repo.resolve("tools/node_modules/@x402/fetch"))) {
      throw new IllegalStateException("tools/node_modules lacks @x402/fetch: run npm ci --prefix tools");
    }
    ProcessBuilder pb = new ProcessBuilder("node", repo.resolve("host/src/test/js/payments/fetch-client.cjs").toString(),
        url, key, body, Integer.toString(calls)).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("INFERGATE_TOOLS", repo.resolve("tools").toString());
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the stock client did not finish");
    assertEquals(0, p.exitValue(), "the stock client failed: " + new String(out, StandardCharsets.UTF_8));
    return JSON.readTree(out);
  }
}
