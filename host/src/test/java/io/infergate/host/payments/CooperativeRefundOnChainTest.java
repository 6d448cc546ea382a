package io.infergate.host.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.contracts.generated.DevUsd;
import io.infergate.host.fixtures.TestNode;
import io.infergate.host.fixtures.TestPluginZip;
import io.infergate.host.payments.chain.DevNetwork;
import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.testplugins.DoublerService;
import io.infergate.host.testplugins.TestModels;
import io.infergate.x402.wire.X402Codec;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * Cooperative refunds with the stock npm x402 client ({@code BatchSettlementEvmScheme.refund}, unchanged) against
 * a node on a real anvil with the real contracts and its real SQLite ledger. The client deposits and pays three
 * calls, asks for too much, then for part of the rest, then for everything left; the node claims its charge and
 * refunds in one transaction each time. The invariant that matters: the payer ends up exactly the three charges
 * poorer, and the node's charges are claimed on chain, not handed back.
 */
class CooperativeRefundOnChainTest {
  static final BigInteger CHARGED = BigInteger.valueOf(30);   // three calls at the doubler's price of 10
  static final String TOO_MUCH = "1000000000000000000000000";
  @TempDir Path dir;

  @Test
  void theStockClientGetsBackExactlyWhatWasNotCharged() throws Exception {
    try (DevNetwork network = DevNetwork.start()) {
      Path ledgerFile = dir.resolve("ledger.sqlite");
      try (TestNode node = TestNode.builder(dir.resolve("node"))
          .plugin(TestPluginZip.plugin("doubler").extension(DoublerService.class).include(TestModels.class))
          .env(network.nodeEnvironment())
          .set("payments.ledger", ledgerFile.toString())
          .set("payments.claims.tick-ms", "600000")   // only the refund claims here
          .setAll(network.nodeConfig())
          .start()) {
        String payer = network.consumer().address().toString();
        var web3j = network.chain().web3j();
        var readOnly = new ReadonlyTransactionManager(web3j, network.provider().address().toString());
        DevUsd token = DevUsd.load(network.contracts().token(), web3j, readOnly, new DefaultGasProvider());
        BatchSettlement contract = BatchSettlement.load(network.contracts().batchSettlement(), web3j, readOnly,
            new DefaultGasProvider());
        BigInteger before = token.balanceOf(payer).send();

        JsonNode run = runRefundClient(node.uri("/v1/services/doubler").toString(), network.consumer().exportSecretHex(),
            "{\"values\":[[1,2,3,4]]}", 3, TOO_MUCH, "5", "");
        JsonNode calls = run.path("calls");
        assertEquals(3, calls.size(), run.toString());
        for (JsonNode call : calls) {
          assertEquals(200, call.path("status").asInt(), call.toString());
        }
        String channelId = calls.get(2).path("paymentResponse").path("extra").path("channelState").path("channelId")
            .asText();
        JsonNode refunds = run.path("refunds");

        // Too much: refused before anything is signed or sent (the contract would silently cap it).
        assertTrue(refunds.get(0).path("error").asText().contains("invalid_batch_settlement_evm_refund_amount_invalid"),
            refunds.get(0).toString());

        // Part of it (the client deposited 5 calls' worth, 50): 5 back, the charge claimed in the same transaction, refund nonce 0 -> 1.
        JsonNode partial = refunds.get(1).path("settle");
        assertTrue(partial.path("success").asBoolean(), refunds.get(1).toString());
        assertEquals("5", partial.path("amount").asText());
        assertTrue(partial.path("transaction").asText().startsWith("0x"), partial.toString());
        assertEquals("1", partial.path("extra").path("channelState").path("refundNonce").asText());
        assertEquals(CHARGED.toString(), partial.path("extra").path("channelState").path("totalClaimed").asText(),
            "the node claimed what it charged before refunding");
        assertTrue(partial.path("extra").path("chargedAmount").isMissingNode(), "a refund response has no charge");

        // The rest: everything not charged, refund nonce -> 2; the channel keeps exactly the claimed charges.
        JsonNode full = refunds.get(2).path("settle");
        assertTrue(full.path("success").asBoolean(), refunds.get(2).toString());
        JsonNode state = full.path("extra").path("channelState");
        assertEquals(CHARGED.toString(), state.path("balance").asText(), full.toString());
        assertEquals(CHARGED.toString(), state.path("totalClaimed").asText());
        assertEquals("2", state.path("refundNonce").asText());

        BigInteger after = token.balanceOf(payer).send();
        assertEquals(before.subtract(CHARGED), after,
            "deposit out, refunds in: the payer is poorer by exactly the charges");
        BigInteger refunded = new BigInteger(partial.path("amount").asText()).add(new BigInteger(full.path("amount").asText()));
        byte[] id = Numeric.hexStringToByteArray(channelId);
        var onChain = contract.channels(id).send();
        assertEquals(CHARGED, onChain.component1(), "balance on chain");
        assertEquals(CHARGED, onChain.component2(), "totalClaimed on chain: the charges were claimed, not lost");
        assertEquals(BigInteger.TWO, contract.refundNonce(id).send());
        assertEquals(BigInteger.valueOf(20), refunded, "50 deposited - 30 charged");

        ChannelState mirrored = node.host().ledger().orElseThrow().get(channelId).orElseThrow();   // the node's file
        assertEquals(CHARGED, mirrored.chargedCumulativeAmount());
        assertEquals(CHARGED, mirrored.chain().balance());
        assertEquals(CHARGED, mirrored.chain().totalClaimed());
        assertEquals(BigInteger.TWO, mirrored.chain().refundNonce());

        // A replayed refund (the header the client sent for the partial one) finds nothing left to refund.
        JsonNode headers = run.path("refundHeaders");
        String replayed = headers.get(headers.size() - 2).asText();
        HttpResponse<String> replay = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            node.uri("/v1/services/doubler")).header("PAYMENT-SIGNATURE", replayed).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(402, replay.statusCode(), replay.body());
        assertEquals("invalid_batch_settlement_evm_refund_no_balance", X402Codec.decodePaymentRequiredHeader(
            replay.headers().firstValue("PAYMENT-REQUIRED").orElseThrow()).error(), replay.body());
        assertEquals(BigInteger.TWO, contract.refundNonce(id).send(), "nothing was sent for the replay");
        assertEquals(after, token.balanceOf(payer).send());
      }
    }
  }

  static JsonNode runRefundClient(String url, String key, String body, int calls, String... amounts)
      throws IOException, InterruptedException {
    Path repo = Path.of("").toAbsolutePath();
    while (repo != null && !Files.isRegularFile(repo.resolve("tools/package.json"))) {
      repo = repo.getParent();
    }
    if (repo == null || !Files.isDirectory(repo.resolve("tools/node_modules/@x402/fetch"))) {
      throw new IllegalStateException("tools/node_modules lacks @x402/fetch: run npm ci --prefix tools");
    }
    List<String> command = new ArrayList<>(List.of("node",
        repo.resolve("host/src/test/js/payments/refund-client.cjs").toString(), url, key, body, Integer.toString(calls)));
    command.addAll(List.of(amounts));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("INFERGATE_TOOLS", repo.resolve("tools").toString());
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the stock client did not finish");
    assertEquals(0, p.exitValue(), "the stock client failed: " + new String(out, StandardCharsets.UTF_8));
    return StockClientOnChainTest.JSON.readTree(out);
  }
}
