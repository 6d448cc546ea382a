package io.infergate.host.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.contracts.generated.ReceiptAnchor;
import io.infergate.host.fixtures.TestNode;
import io.infergate.host.fixtures.TestPluginZip;
import io.infergate.host.fixtures.TestPostgres;
import io.infergate.host.payments.chain.DevNetwork;
import io.infergate.host.testplugins.DoublerService;
import io.infergate.host.testplugins.TestModels;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Two replicas of one provider on one real PostgreSQL ledger and one real anvil, sharing the facilitator and receipt
 * keys, both with claims and anchoring on and ticking fast: only the leader of each role sends claims and root
 * commits (none of them fails, as racing replicas' would on nonces and already claimed amounts); when the leader
 * stops, the other takes over both roles.
 */
class ReplicasOnChainTest {
  @TempDir Path dir;

  @Test
  void replicasClaimAndAnchorOnceAndTheOtherTakesOver() throws Exception {
    String ledger = TestPostgres.freshSchemaUrl();
    try (DevNetwork network = DevNetwork.start()) {
      network.register("doubler", "bafy-doubler", List.of("bafy-doubler-model"), BigInteger.TEN, "http://127.0.0.1");
      TestNode a = replica(network, ledger, "a");
      TestNode b = replica(network, ledger, "b");
      try {
        awaitOneLeader(a, b);
        TestNode leader = claimsLeader(a) ? a : b;
        TestNode follower = leader == a ? b : a;
        TestNode anchorer = anchoringLeader(a) ? a : b;
        TestNode notAnchoring = anchorer == a ? b : a;
        JsonNode calls = StockClientOnChainTest.runStockClient(a.uri("/v1/services/doubler").toString(),
            network.consumer().exportSecretHex(), "{\"values\":[[1,2,3,4]]}", 3);
        String channel = "";
        for (JsonNode call : calls) {
          channel = channel.isEmpty() ? call.path("paymentResponse").path("extra").path("channelState")
              .path("channelId").asText() : channel;
        }
        // Every call was paid and charged once, although both replicas' watchers insert the new channel too.
        BigInteger charged = new BigInteger(report(a).path("tokens").get(0).path("charged").asText());
        assertEquals(3, calls.size(), calls.toString());
        for (JsonNode call : calls) {
          assertEquals(200, call.path("status").asInt(), calls.toString());
        }
        BigInteger answered = new BigInteger(calls.get(2).path("paymentResponse").path("extra").path("channelState")
            .path("chargedCumulativeAmount").asText());
        assertTrue(charged.signum() > 0, calls.toString());
        assertEquals(answered, charged, calls.toString());

        BatchSettlement settlement = BatchSettlement.load(network.contracts().batchSettlement(),
            network.chain().web3j(), new ReadonlyTransactionManager(network.chain().web3j(),
                network.provider().address().toString()), new DefaultGasProvider());
        ReceiptAnchor anchor = ReceiptAnchor.load(network.contracts().receiptAnchor(), network.chain().web3j(),
            new ReadonlyTransactionManager(network.chain().web3j(), network.provider().address().toString()),
            new DefaultGasProvider());
        String provider = network.provider().address().toString();
        String signer = network.receiptSigner().address().toString();
        long receipts = StockClientOnChainTest.JSON.readTree(a.get("/admin/receipts/anchor").body()).path("lastSeq")
            .asLong() + 1;
        byte[] channelId = org.web3j.utils.Numeric.hexStringToByteArray(channel);
        awaitTrue(() -> settlement.channels(channelId).send()
            .component2().equals(charged), () -> "the " + charged + " charged were never claimed: " + report(a) + " "
            + report(b));
        awaitTrue(() -> anchor.commitmentCount(provider, signer).send().longValue() == receipts,
            () -> "the " + receipts + " receipts were never anchored: " + a.get("/admin/receipts/anchor").body() + " "
                + b.get("/admin/receipts/anchor").body());
        Thread.sleep(1_500);    // many more ticks of both replicas: nobody claims or commits again

        // Every claim and every commit came from the leader; none failed (as racing replicas' would, on nonces).
        String claimsSent = "infergate_payments_claim_transactions_total\\{outcome=\"%s\"}";
        for (String outcome : List.of("confirmed", "reverted", "dropped", "send_failed", "simulation_failed")) {
          assertEquals(0.0, meter(follower, claimsSent.formatted(outcome)), outcome + " claims of the follower");
        }
        for (String outcome : List.of("reverted", "dropped", "send_failed", "simulation_failed")) {
          assertEquals(0.0, meter(leader, claimsSent.formatted(outcome)), outcome + " claims of the leader");
        }
        assertTrue(meter(leader, claimsSent.formatted("confirmed")) >= 1.0);
        assertEquals(0.0, meter(notAnchoring, "infergate_receipt_anchor_batches_total\\{outcome=\"committed\"}"));
        assertEquals(0.0, meter(anchorer, "infergate_receipt_anchor_failures_total\\{reason=\"reverted\"}"));
        assertEquals(receipts,
            (long) meter(anchorer, "infergate_receipt_anchor_batches_total\\{outcome=\"committed\"}"));
        // Gauges read from the shared ledger are current on every replica, the follower included.
        assertEquals(receipts - 1, (long) meter(notAnchoring, "infergate_receipt_anchor_last_committed_seq"));
        assertEquals(0.0, meter(follower, "infergate_leader_changes_total\\{change=\"acquired\",role=\"claims\"}"));
        assertEquals(1.0, meter(leader, "infergate_leader\\{role=\"claims\"}"));
        assertEquals(0.0, meter(follower, "infergate_leader\\{role=\"claims\"}"));

        leader.close();
        awaitTrue(() -> claimsLeader(follower) && anchoringLeader(follower), "the other replica did not take over");
        assertEquals(1.0, meter(follower, "infergate_leader\\{role=\"claims\"}"));
        assertEquals(1.0, meter(follower, "infergate_leader\\{role=\"anchoring\"}"));
      } finally {
        a.close();
        b.close();
      }
    }
  }

  private TestNode replica(DevNetwork network, String ledger, String name) {
    return TestNode.builder(dir.resolve(name))
        .plugin(TestPluginZip.plugin("doubler").extension(DoublerService.class).include(TestModels.class))
        .env(network.nodeEnvironment())
        .setAll(network.nodeConfig())
        .set("payments.ledger", ledger)
        .set("payments.claims.tick-ms", "100")
        .set("payments.claims.min-unclaimed", "1")
        .set("receipts.anchoring.batch-size", "1")
        .set("receipts.anchoring.interval-ms", "600000")
        .set("receipts.anchoring.tick-ms", "100")
        .start();
  }

  private static void awaitOneLeader(TestNode a, TestNode b) throws Exception {
    awaitTrue(() -> claimsLeader(a) != claimsLeader(b) && anchoringLeader(a) != anchoringLeader(b),
        "the replicas did not settle on one leader per role");
  }

  private static JsonNode report(TestNode node) {
    try {
      return StockClientOnChainTest.JSON.readTree(node.get("/admin/payments").body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean claimsLeader(TestNode node) throws Exception {
    JsonNode leader = report(node).path("claimsLeader");
    assertEquals("postgresql-advisory-lock", leader.path("election").asText(), leader.toString());
    return leader.path("leader").asBoolean();
  }

  private static boolean anchoringLeader(TestNode node) throws Exception {
    JsonNode leader = StockClientOnChainTest.JSON.readTree(node.get("/admin/receipts/anchor").body()).path("leader");
    assertEquals("anchoring", leader.path("role").asText(), leader.toString());
    return leader.path("leader").asBoolean();
  }

  /** The value of a Prometheus sample on the node's /metrics (0 when absent). */
  private static double meter(TestNode node, String sample) {
    Matcher m = Pattern.compile("(?m)^" + sample + " (\\S+)$").matcher(node.get("/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
  }

  interface Check {
    boolean holds() throws Exception;
  }

  private static void awaitTrue(Check check, String message) throws Exception {
    awaitTrue(check, () -> message);
  }

  private static void awaitTrue(Check check, java.util.function.Supplier<String> message) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!check.holds()) {
      assertFalse(System.nanoTime() > deadline, message);
      Thread.sleep(100);
    }
  }
}
