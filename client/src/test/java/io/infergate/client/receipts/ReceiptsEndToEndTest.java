package io.infergate.client.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.client.cli.ClientCommand;
import io.infergate.client.http.PaidHttpClient;
import io.infergate.client.http.PaidResponse;
import io.infergate.client.store.ChannelStore;
import io.infergate.client.store.StoredCall;
import io.infergate.host.ipfs.store.ContentStore;
import io.infergate.host.ipfs.store.ContentStoreOptions;
import io.infergate.host.payments.chain.DevNetwork;
import io.infergate.host.plugins.LoadedService;
import io.infergate.testkit.InfergateTestHost;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.InferenceReceipt;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with the real node on a real chain: the service registered in the real {@code ServiceRegistry} with
 * the node's receipt key, paid calls through the client, the node's receipts checked and stored by the client,
 * {@code verify} passing fully once the node's anchorer has committed the root and serves the proof, {@code audit}
 * passing. {@code --reexecute} fetches the plugin
 * and model by CID from the node's gateway and re-runs the call in this JVM.
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
    // the plugin is published by CID, as './infergate dev' does, so the receipt names a CID anyone can fetch
    Path content = dir.resolve("node-content");
    String pluginCid;
    ExecutorService io = Executors.newSingleThreadExecutor();
    try {
      pluginCid = ContentStore.open(content, ContentStoreOptions.defaults(), io).add(zip, true).root().toString();
    } finally {
      io.shutdownNow();
    }
    try (DevNetwork network = DevNetwork.start();
        InfergateTestHost node = InfergateTestHost.builder().modelDirectory(pluginDir().resolve("models"))
            .config("content.dir", content.toString())
            .config("plugins.allow", pluginCid)
            .environment(network.nodeEnvironment())
            .config("payments.ledger", dir.resolve("ledger.sqlite").toString())
            .config("payments.claims.tick-ms", "600000")
            .config("receipts.anchoring.batch-size", "4")
            .config("receipts.anchoring.interval-ms", "2000")
            .config("receipts.anchoring.tick-ms", "100")
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

      // right after the calls every check but inclusion passes; inclusion is pending until the node's anchorer
      // has committed the root (batch of 4, or 2 s), then the proof the node serves leads to the root on chain
      Run first = cli(-1, "verify", id, common);
      for (String check : List.of("signature", "domain", "registry", "plugin", "hashes", "equivocation")) {
        assertTrue(first.out.lines().anyMatch(l -> l.contains("pass") && l.contains(check)), check + ": " + first.out);
      }
      assertTrue(first.code == 0 || first.code == 3, "anchored or pending, never failed: " + first.out);
      long deadline = System.currentTimeMillis() + 60_000;
      Run full = first;
      while (full.code != 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(300);
        full = cli(-1, "verify", id, common, "--json");
      }
      full = cli(0, "verify", id, common, "--json");
      var printed = JSON.readTree(full.out);
      assertEquals("ok", printed.path("verdict").asText(), full.out);
      printed.path("checks").forEach(c -> assertEquals("pass", c.path("status").asText(), c.toString()));

      // the proof saved to a file is checked the same way, against the root read from the chain
      Path proofFile = dir.resolve("proof.json");
      Files.writeString(proofFile, node.get("/v1/receipts/" + id + "/proof").body());
      cli(0, "verify", id, common, "--proof", proofFile.toString());
      int index = 0;
      while (!receipts.get(index).id().equals(id)) {
        index++;
      }

      // the same with the Java API
      try (ChannelStore store = ChannelStore.open(storeFile);
          ReceiptChain chain = ReceiptChain.connect(network.rpcUrl(), Address.parse(network.contracts().receiptAnchor()))) {
        ReceiptVerifier verifier = ReceiptVerifier.builder(chain).log(store.receipts()).node(node.baseUri()).build();
        SignedReceipt receipt = store.receipts().byReceiptId(id).orElseThrow().receipt();
        VerificationReport report = verifier.verify(receipt, VerifyOptions.defaults());
        assertTrue(report.complete(), report.toText());
        AuditReport audit = ReceiptAudit.of(store).run(Optional.empty());
        assertTrue(audit.ok(), audit.toText());
      }

      Run audit = cli(0, "audit", null, common);
      assertTrue(audit.out.contains("verdict: ok"), audit.out);

      // a receipt handed over as a file verifies the same way (its call is in this store)
      Path receiptFile = dir.resolve("receipt.json");
      Files.writeString(receiptFile, node.get("/v1/receipts/" + id).body());
      cli(0, "verify", receiptFile.toString(), common, "--proof", proofFile.toString());

      // re-execution: plugin and models fetched by CID from the node's gateway, run here, same bytes
      assertEquals(pluginCid, receipts.get(index).receipt().pluginCid());
      Run again = cli(0, "verify", id, common, "--proof", proofFile.toString(), "--reexecute");
      assertTrue(again.out.lines().anyMatch(l -> l.contains("pass") && l.contains("reexecution")), again.out);

      try (ChannelStore store = ChannelStore.open(storeFile)) {
        StoredCall call = store.receipts().byReceiptId(id).orElseThrow();
        SignedReceipt honest = call.receipt();
        // another runtime profile (2 intra-op threads instead of 1): no verdict
        Check other = new LocalReexecutor(node.baseUri(), Map.of("runtime.intra-op-threads", "2"))
            .reexecute(honest, call);
        assertEquals(CheckStatus.INCONCLUSIVE, other.status(), other.reason());
        assertTrue(other.reason().startsWith("cannot compare: profile differs (local "), other.reason());
        // a node that signed a different answer than the code computes is caught by re-execution
        InferenceReceipt h = honest.receipt();
        SignedReceipt lie = SignedReceipt.sign(new InferenceReceipt(h.requestHash(), Bytes32.keccak("forged".getBytes()),
            h.provider(), h.service(), h.pluginCid(), h.modelCid(), h.runtimeProfileHash(), h.channelId(),
            h.maxClaimableAmount(), h.chargedAmount(), h.chargedCumulativeAmount(), h.seq(), h.issuedAt()),
            honest.domain(), network.receiptSigner());
        Check caught = new LocalReexecutor(node.baseUri(), Map.of()).reexecute(lie, call);
        assertEquals(CheckStatus.FAIL, caught.status(), caught.reason());
        assertTrue(caught.reason().contains("not what the named code and weights compute"), caught.reason());
      }
    }
  }

  record Run(int code, String out, String err) {}

  /** Runs the CLI; {@code expectedExit} -1 accepts any exit code. */
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
    if (expectedExit >= 0) {
      assertEquals(expectedExit, code, "exit code of " + args + "; stdout: " + out + " stderr: " + err);
    }
    return new Run(code, out.toString(), err.toString());
  }
}
