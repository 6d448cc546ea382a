package io.infergate.host.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.cli.InfergateCommand;
import io.infergate.host.fixtures.TestPluginZip;
import io.infergate.host.payments.ledger.ChannelConfig;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import io.infergate.host.testplugins.FloatsAdapter;
import io.infergate.host.testplugins.PauseService;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.SchemePayload;
import io.infergate.x402.wire.SignedVoucher;
import io.infergate.x402.wire.X402Codec;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed (kill -9) while a paid call runs, after the voucher was accepted and before the charge was
 * committed: nothing is charged, no lock needs a manual unlock (neither the channel's lease nor the OS lock the node
 * held on its SQLite ledger file: both died with it), and a restarted node accepts the same voucher, charging it
 * exactly once. The test reads the ledger file only while no node runs: a running node owns it.
 */
class CrashBeforeCommitTest {
  static final Address CONTRACT = Address.parse("0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003");
  static final PrivateKey RECEIPT_KEY = PrivateKey.random();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir Path dir;

  @Test
  void aKilledNodeChargesNothingAndItsSuccessorAcceptsTheSameVoucherOnce() throws Exception {
    PrivateKey consumer = PrivateKey.random();
    Address asset = PrivateKey.random().address();
    Address payTo = PrivateKey.random().address();
    Address authorizer = PrivateKey.random().address();
    Eip712Domain domain = Eip712Domain.batchSettlement(31337, CONTRACT);
    var channel = new io.infergate.x402.eip712.ChannelConfig(consumer.address(), consumer.address(), payTo, authorizer,
        asset, 86400, Bytes32.keccak(new byte[] {9}));
    String channelId = BatchSettlementTypedData.channelId(domain, channel).toString();
    Path ledgerFile = dir.resolve("ledger.sqlite");
    try (ChannelLedger seed = open(ledgerFile)) {
      seed.upsertChannel(channelId, ChannelConfig.from(channel));
      seed.applyChainState(channelId, BigInteger.valueOf(1000), BigInteger.ZERO, 0, BigInteger.ZERO, 1);
    }
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    TestPluginZip.plugin("pause").extension(PauseService.class).include(FloatsAdapter.class).writeTo(plugins);
    List<String> args = List.of("--set", "plugins.dir=" + plugins, "--set", "content.dir=" + dir.resolve("content"),
        "--set", "models.dirs=" + dir.resolve("models"), "--set", "payments.enabled=true",
        "--set", "payments.asset=" + asset, "--set", "payments.asset-name=DevUSD", "--set", "payments.pay-to=" + payTo,
        "--set", "payments.receiver-authorizer=" + authorizer, "--set", "payments.ledger=" + ledgerFile,
        "--set", "inference.timeout-ms=2500", "--set", "payments.lease-ttl-ms=3000",
        "--set", "receipts.anchor=" + io.infergate.host.fixtures.TestReceipts.ANCHOR);

    Node first = Node.start(dir.resolve("first"), args);
    String offerHeader = unpaid(first.url + "/v1/services/pause").headers().firstValue("PAYMENT-REQUIRED").orElseThrow();
    PaymentRequirements offer = X402Codec.decodePaymentRequiredHeader(offerHeader).accepts().get(0);
    BigInteger max = BigInteger.valueOf(5);
    String signature = Secp256k1.sign(BatchSettlementTypedData.voucherDigest(domain, Bytes32.parse(channelId), max),
        consumer).toHex();
    String payment = X402Codec.encodePaymentSignatureHeader(new PaymentPayload(2, offer,
        new SchemePayload.VoucherPayload(channel, new SignedVoucher(Bytes32.parse(channelId), max, signature)), null, null));

    var call = http.sendAsync(paid(first.url, payment), HttpResponse.BodyHandlers.ofString());
    String gauge = "infergate_requests_in_flight{model=\"pause\"} 1.0";
    for (int i = 0; i < 200 && !metrics(first.url).contains(gauge); i++) {
      Thread.sleep(10);
    }
    assertTrue(metrics(first.url).contains(gauge), "the paid call should be running");
    first.process.destroyForcibly().waitFor();        // kill -9 while the call runs, before its charge
    assertTrue(call.handle((r, e) -> e != null || r.statusCode() != 200).get(), "the killed node did not answer");
    try (ChannelLedger ledger = open(ledgerFile)) {
      assertEquals(BigInteger.ZERO, ledger.get(channelId).orElseThrow().chargedCumulativeAmount(), "nothing charged");
    }

    Node second = Node.start(dir.resolve("second"), args);
    try {
      int status = 0;
      String body = "";
      for (int i = 0; i < 100 && status != 200; i++) {   // tolerates channel_busy (a PostgreSQL lease would outlive the node)
        HttpResponse<String> r = http.send(paid(second.url, payment), HttpResponse.BodyHandlers.ofString());
        status = r.statusCode();
        body = r.body();
        if (status != 200) {
          assertEquals(402, status, body);
          Thread.sleep(200);
        }
      }
      assertEquals(200, status, body);
      assertEquals(402, http.send(paid(second.url, payment), HttpResponse.BodyHandlers.ofString()).statusCode(),
          "and never twice");
    } finally {
      second.process.destroyForcibly().waitFor();
    }
    try (ChannelLedger ledger = open(ledgerFile)) {
      assertEquals(BigInteger.valueOf(5), ledger.get(channelId).orElseThrow().chargedCumulativeAmount(),
          "the same voucher, charged exactly once");
      var journal = io.infergate.host.receipts.ReceiptJournal.open(ledger);
      assertEquals(0, journal.lastSeq(RECEIPT_KEY.address()), "the killed call consumed no receipt seq");
      assertEquals(1, journal.count(RECEIPT_KEY.address()), "one charge, one receipt");
    }
  }

  private HttpRequest paid(String url, String payment) {
    return HttpRequest.newBuilder(URI.create(url + "/v1/services/pause")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("PAYMENT-SIGNATURE", payment)
        .POST(HttpRequest.BodyPublishers.ofString("{\"x\":[1]}")).build();
  }

  private HttpResponse<String> unpaid(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String metrics(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static ChannelLedger open(Path file) {
    return SqliteChannelLedger.open(file, Clock.systemUTC());
  }

  /** The real command line in its own JVM. */
  private record Node(Process process, String url) {
    static Node start(Path dir, List<String> settings) throws Exception {
      Files.createDirectories(dir);
      Path log = dir.resolve("node.log");
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
          InfergateCommand.class.getName(), "serve", "--set", "http.port=0",
          "--set", "plugins.work-dir=" + dir.resolve("work")));
      cmd.addAll(settings);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("INFERGATE_RECEIPT_SIGNER_KEY", RECEIPT_KEY.exportSecretHex());
      Process p = pb.start();
      for (int i = 0; i < 600 && p.isAlive(); i++) {
        for (String line : Files.readAllLines(log)) {
          if (line.startsWith("infergate node ready at ")) {
            return new Node(p, line.substring("infergate node ready at ".length()).trim());
          }
        }
        Thread.sleep(50);
      }
      p.destroyForcibly();
      throw new AssertionError("the node never became ready:\n" + Files.readString(log));
    }
  }
}
