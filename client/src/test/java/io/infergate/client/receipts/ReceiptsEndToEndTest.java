package io.infergate.client.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.client.cli.ClientCommand;
import io.infergate.client.http.PaidHttpClient;
import io.infergate.client.http.PaidResponse;
import io.infergate.client.store.ChannelStore;
import io.infergate.client.store.StoredCall;
import io.infergate.contracts.generated.ReceiptAnchor;
import io.infergate.host.payments.chain.DevNetwork;
import io.infergate.host.plugins.LoadedService;
import io.infergate.testkit.InfergateTestHost;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.receipt.ReceiptMerkleTree;
import io.infergate.x402.receipt.ReceiptProof;
import io.infergate.x402.receipt.SignedReceipt;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.DynamicEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * End to end with the real node on a real chain: the service registered in the real {@code ServiceRegistry} with
 * the node's receipt key, paid calls through the client, the node's receipts checked and stored by the client,
 * {@code verify} pending until a root is on chain and passing fully after it, {@code audit} passing. The root is
 * committed here with the node's receipt key, as the node's anchorer does.
 */
class ReceiptsEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static Path pluginDir() {
    return Path.of(System.getProperty("infergate.repo.dir", "..")).toAbsolutePath().normalize()
        .resolve("plugins/text-embedding/target");
  }

  @Test
  void paidCallsYieldReceiptsThatVerifyFullyAfterAnchoringAndAnAuditThatPasses() throws Exception {
    Path zip;
    try (Stream<Path> s = Files.list(pluginDir())) {
      zip = s.filter(p -> p.toString().endsWith(".zip")).findFirst().orElseThrow();
    }
    try (DevNetwork network = DevNetwork.start();
        InfergateTestHost node = InfergateTestHost.builder().plugin(zip).modelDirectory(pluginDir().resolve("models"))
            .environment(network.nodeEnvironment())
            .config("payments.ledger", dir.resolve("ledger.sqlite").toString())
            .config("payments.claims.tick-ms", "600000")
            .configAll(network.nodeConfig())
            .start()) {
      for (LoadedService s : node.host().plugins().catalog().all()) {
        network.register(s.name(), s.pluginContentId(), s.modelInfos().stream().map(m -> m.contentId()).toList(),
            s.descriptor().price().maxPerCall(), node.baseUri() + "/v2/models/" + s.name());
      }
      Path storeFile = dir.resolve("client.db");
      List<SignedReceipt> receipts = new ArrayList<>();
      try (ChannelStore store = ChannelStore.open(storeFile)) {
        PaidHttpClient client = PaidHttpClient.builder().payer(network.consumer()).store(store)
            .batchSettlement(Address.parse(network.contracts().batchSettlement()))
            .erc3009Collector(Address.parse(network.contracts().erc3009Collector())).build();
        URI url = node.baseUri().resolve("/v1/services/text-embedding");
        PaidResponse first = client.deposit(url, "{\"texts\":[\"hi\"]}".getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json"), BigInteger.valueOf(100_000));
        assertEquals(200, first.status(), first.bodyText());
        assertEquals(Optional.empty(), first.receiptProblem(), "the node's receipt describes the call");
        receipts.add(first.receipt().orElseThrow());
        for (int i = 0; i < 3; i++) {
          PaidResponse r = client.call(url, "{\"texts\":[\"call " + i + "\"]}");
          assertEquals(200, r.status(), r.bodyText());
          assertEquals(Optional.empty(), r.receiptProblem());
          receipts.add(r.receipt().orElseThrow());
        }
        // the same receipt is served by GET /v1/receipts/{id}
        SignedReceipt served = SignedReceipt.fromJson(node.get("/v1/receipts/" + receipts.get(1).id()).body()
            .getBytes(StandardCharsets.UTF_8));
        assertEquals(receipts.get(1), served);
        assertEquals(network.receiptSigner().address(), served.signer());
        for (StoredCall c : store.receipts().all()) {
          assertTrue(c.receiptMatches(), c.receiptProblem());
        }
      }

      Path nodeJson = dir.resolve("node.json");
      Files.writeString(nodeJson, JSON.writeValueAsString(Map.of("url", node.baseUri().toString(),
          "chainRpc", network.rpcUrl(), "chainId", network.chainId(),
          "contracts", Map.of("batchSettlement", network.contracts().batchSettlement(),
              "erc3009Collector", network.contracts().erc3009Collector(),
              "receiptAnchor", network.contracts().receiptAnchor(),
              "serviceRegistry", network.contracts().serviceRegistry()))));
      String[] common = {"--store", storeFile.toString(), "--node-json", nodeJson.toString()};
      String id = receipts.get(2).id();

      // before any root is on chain: everything passes but inclusion, which is pending (exit 3)
      Run pending = cli(3, "verify", id, common);
      assertTrue(pending.out.contains("pending") && pending.out.contains("inclusion"), pending.out);
      for (String check : List.of("signature", "domain", "registry", "plugin", "hashes", "equivocation")) {
        assertTrue(pending.out.lines().anyMatch(l -> l.contains("pass") && l.contains(check)), check + ": " + pending.out);
      }

      // anchor seq 0..3 with the node's receipt key, then verify with the proof from a file: every check passes
      receipts.sort((a, b) -> Long.compare(a.receipt().seq(), b.receipt().seq()));
      ReceiptMerkleTree tree = ReceiptMerkleTree.of(receipts.stream().map(SignedReceipt::digest).toList());
      Credentials signer = Credentials.create(network.receiptSigner().exportSecretHex());
      ReceiptAnchor anchor = ReceiptAnchor.load(network.contracts().receiptAnchor(), network.chain().web3j(),
          new RawTransactionManager(network.chain().web3j(), signer, network.chainId(),
              new PollingTransactionReceiptProcessor(network.chain().web3j(), 20, 1500)),
          new DynamicEIP1559GasProvider(network.chain().web3j(), network.chainId()));
      long firstSeq = receipts.getFirst().receipt().seq();
      long lastSeq = receipts.getLast().receipt().seq();
      Address provider = receipts.getFirst().receipt().provider();
      TransactionReceipt tx = anchor.commit(provider.toString(), tree.root().toBytes(), BigInteger.valueOf(firstSeq),
          BigInteger.valueOf(lastSeq)).send();
      int index = receipts.indexOf(receipts.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow());
      ReceiptProof proof = new ReceiptProof(id, receipts.get(index).receipt().seq(), provider,
          network.receiptSigner().address(), tree.proof(index), tree.root(), firstSeq, lastSeq, 0,
          Address.parse(network.contracts().receiptAnchor()), network.chainId(), tx.getTransactionHash(),
          tx.getBlockNumber().longValueExact());
      Path proofFile = dir.resolve("proof.json");
      Files.writeString(proofFile, proof.toJson().toString());
      Run full = cli(0, "verify", id, common, "--proof", proofFile.toString(), "--json");
      var report = JSON.readTree(full.out);
      assertEquals("ok", report.path("verdict").asText(), full.out);
      report.path("checks").forEach(c -> assertEquals("pass", c.path("status").asText(), c.toString()));

      Run audit = cli(0, "audit", null, common);
      assertTrue(audit.out.contains("verdict: ok"), audit.out);

      // a receipt handed over as a file verifies the same way (its call is in this store)
      Path receiptFile = dir.resolve("receipt.json");
      Files.writeString(receiptFile, node.get("/v1/receipts/" + id).body());
      cli(0, "verify", receiptFile.toString(), common, "--proof", proofFile.toString());
    }
  }

  record Run(String out, String err) {}

  static Run cli(int expectedExit, String command, String arg, String[] common, String... rest) {
    List<String> args = new ArrayList<>(List.of(command));
    if (arg != null) {
      args.add(arg);
    }
    args.addAll(List.of(common));
    args.addAll(List.of(rest));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ClientCommand.run(Map.of(), new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    assertEquals(expectedExit, code, "exit code of " + args + "; stdout: " + out + " stderr: " + err);
    return new Run(out.toString(), err.toString());
  }
}
