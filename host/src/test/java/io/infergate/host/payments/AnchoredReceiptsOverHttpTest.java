package io.infergate.host.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.contracts.generated.ReceiptAnchor;
import io.infergate.host.fixtures.TestNode;
import io.infergate.host.fixtures.TestPluginZip;
import io.infergate.host.payments.chain.DevNetwork;
import io.infergate.host.testplugins.DoublerService;
import io.infergate.host.testplugins.TestModels;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.ReceiptMerkleTree;
import io.infergate.x402.receipt.ReceiptProof;
import io.infergate.x402.receipt.SignedReceipt;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * A paying node on a real anvil anchors its receipts and serves their proofs: the stock x402 client pays three
 * calls; the node batches their receipts (two by count, one by time), commits the roots with the receipt key, and
 * {@code GET /v1/receipts/{id}/proof} answers 409 with Retry-After until a receipt's root is on chain, then the
 * proof, which the contract accepts and which leads to the root read from the chain.
 */
class AnchoredReceiptsOverHttpTest {
  @TempDir Path dir;

  @Test
  void paidCallsGetProofsThatTheChainAccepts() throws Exception {
    try (DevNetwork network = DevNetwork.start()) {
      network.register("doubler", "bafy-doubler", List.of("bafy-doubler-model"), BigInteger.TEN, "http://127.0.0.1");
      try (TestNode node = TestNode.builder(dir.resolve("node"))
          .plugin(TestPluginZip.plugin("doubler").extension(DoublerService.class).include(TestModels.class))
          .env(network.nodeEnvironment())
          .set("payments.ledger", dir.resolve("ledger.sqlite").toString())
          .set("payments.claims.tick-ms", "600000")
          .setAll(network.nodeConfig())
          .set("receipts.anchoring.batch-size", "2")
          .set("receipts.anchoring.interval-ms", "8000")
          .set("receipts.anchoring.tick-ms", "100")
          .start()) {
        JsonNode calls = StockClientOnChainTest.runStockClient(node.uri("/v1/services/doubler").toString(),
            network.consumer().exportSecretHex(), "{\"values\":[[1,2,3,4]]}", 3);
        String channel = calls.get(2).path("paymentResponse").path("extra").path("channelState").path("channelId")
            .asText();
        JsonNode listed = StockClientOnChainTest.JSON.readTree(node.get("/v1/receipts?channel=" + channel).body());
        JsonNode receipts = listed.path("receipts");
        assertEquals(3, receipts.size(), listed.toString());

        // The third receipt waits for the interval: a clear 409 with a code and Retry-After.
        String third = receipts.get(2).path("id").asText();
        HttpResponse<String> early = node.get("/v1/receipts/" + third + "/proof");
        assertEquals(409, early.statusCode(), early.body());
        JsonNode error = StockClientOnChainTest.JSON.readTree(early.body());
        assertEquals("receipt_not_anchored", error.path("code").asText());
        assertTrue(error.path("error").asText().startsWith("receipt " + third + " (seq 2) is not anchored yet"),
            early.body());
        assertTrue(Long.parseLong(early.headers().firstValue("Retry-After").orElseThrow()) >= 1);

        ReceiptAnchor contract = ReceiptAnchor.load(network.contracts().receiptAnchor(), network.chain().web3j(),
            new ReadonlyTransactionManager(network.chain().web3j(), network.provider().address().toString()),
            new DefaultGasProvider());
        for (JsonNode served : receipts) {
          SignedReceipt receipt = SignedReceipt.fromJson(served);
          HttpResponse<String> answer = awaitProof(node, receipt.id());
          ReceiptProof proof = ReceiptProof.fromJson(StockClientOnChainTest.JSON.readTree(answer.body()));
          BigInteger seq = BigInteger.valueOf(receipt.receipt().seq());
          String provider = network.provider().address().toString();
          String signer = network.receiptSigner().address().toString();
          assertEquals(receipt.signer(), network.receiptSigner().address());
          Bytes32 chainRoot = Bytes32.of(contract.commitmentFor(provider, signer, seq).send().component1().root);
          assertEquals(chainRoot, ReceiptMerkleTree.computeRoot(receipt.digest(), proof.proof()));
          assertTrue(contract.verifyReceipt(provider, signer, seq, receipt.digest().toBytes(),
              proof.proof().stream().map(Bytes32::toBytes).toList()).send());
        }
        assertEquals(BigInteger.TWO, contract.commitmentCount(network.provider().address().toString(),
            network.receiptSigner().address().toString()).send(), "receipts 0..1 by count, 2 by time");

        assertEquals(404, node.get("/v1/receipts/" + Bytes32.keccak("none".getBytes()) + "/proof").statusCode());
        JsonNode status = StockClientOnChainTest.JSON.readTree(node.get("/admin/receipts/anchor").body());
        assertEquals(2, status.path("lastCommittedSeq").asLong(), status.toString());
        assertTrue(status.path("leader").path("leader").asBoolean(), status.toString());
        assertTrue(node.get("/metrics").body().contains("infergate_receipts_anchored_total 3.0"));
      }
    }
  }

  private static HttpResponse<String> awaitProof(TestNode node, String id) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      HttpResponse<String> r = node.get("/v1/receipts/" + id + "/proof");
      if (r.statusCode() == 200) {
        return r;
      }
      assertEquals(409, r.statusCode(), r.body());
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no proof of " + id + " within 60 s: " + r.body());
      }
      Thread.sleep(200);
    }
  }
}
