package io.infergate.host.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.cli.InfergateCommand;
import io.infergate.host.fixtures.TestPluginZip;
import io.infergate.host.fixtures.TestReceipts;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import io.infergate.host.testplugins.DoublerService;
import io.infergate.host.testplugins.TestModels;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node JVM killed with kill -9 in the middle of paid load on several channels, twice, restarted each time: the
 * receipt stream is 0..n-1 without gaps and every committed charge has exactly one receipt (per channel, the
 * receipts' charged amounts add up to the ledger's chargedCumulativeAmount, each receipt's cumulative amount
 * following the previous one's).
 */
class ReceiptCrashTest {
  static final Address CONTRACT = Address.parse("0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003");
  static final PrivateKey RECEIPT_KEY = PrivateKey.random();
  static final PrivateKey CONSUMER = PrivateKey.random();
  static final Eip712Domain DOMAIN = Eip712Domain.batchSettlement(31337, CONTRACT);
  static final int CHANNELS = 6;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir Path dir;

  @Test
  void aNodeKilledUnderPaidLoadLeavesAGaplessStreamWithOneReceiptPerCharge() throws Exception {
    Address asset = PrivateKey.random().address();
    Address payTo = PrivateKey.random().address();
    Address authorizer = PrivateKey.random().address();
    List<ChannelConfig> channels = new ArrayList<>();
    Path ledgerFile = dir.resolve("ledger.sqlite");
    try (ChannelLedger seed = SqliteChannelLedger.open(ledgerFile, Clock.systemUTC())) {
      for (int c = 0; c < CHANNELS; c++) {
        ChannelConfig ch = new ChannelConfig(CONSUMER.address(), CONSUMER.address(), payTo, authorizer, asset, 86400,
            Bytes32.keccak(new byte[] {(byte) c}));
        channels.add(ch);
        String id = BatchSettlementTypedData.channelId(DOMAIN, ch).toString();
        seed.upsertChannel(id, io.infergate.host.payments.ledger.ChannelConfig.from(ch));
        seed.applyChainState(id, BigInteger.valueOf(10_000_000), BigInteger.ZERO, 0, BigInteger.ZERO, 1);
      }
    }
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    TestPluginZip.plugin("doubler").extension(DoublerService.class).include(TestModels.class).writeTo(plugins);
    Path models = TestModels.writeAll(Files.createDirectories(dir.resolve("models")));
    List<String> args = new ArrayList<>(List.of("--set", "plugins.dir=" + plugins,
        "--set", "content.dir=" + dir.resolve("content"), "--set", "models.dirs=" + models,
        "--set", "payments.enabled=true", "--set", "payments.asset=" + asset, "--set", "payments.asset-name=DevUSD",
        "--set", "payments.pay-to=" + payTo, "--set", "payments.receiver-authorizer=" + authorizer,
        "--set", "payments.ledger=" + ledgerFile, "--set", "inference.timeout-ms=1500",
        "--set", "payments.lease-ttl-ms=2000"));
    args.addAll(TestReceipts.args());

    int total = 0;
    for (int round = 0; round < 3; round++) {
      Node node = Node.start(dir.resolve("node" + round), args);
      try {
        int answered = load(node, channels, round < 2);
        assertTrue(answered > 0, "round " + round + " answered no paid call");
        System.out.println("ReceiptCrashTest round " + round + ": " + answered + " paid calls answered"
            + (round < 2 ? ", then kill -9 mid-load" : ""));
        total += answered;
      } finally {
        node.process.destroyForcibly().waitFor();      // kill -9 (the last round too: nothing is shut down cleanly)
      }
      check(ledgerFile, channels);
    }
    try (ChannelLedger ledger = SqliteChannelLedger.open(ledgerFile, Clock.systemUTC())) {
      long stored = ReceiptJournal.open(ledger).count(RECEIPT_KEY.address());
      assertTrue(stored >= total, "every answered call has its receipt: " + stored + " stored, " + total + " answered");
    }
  }

  /**
   * Paid calls on every channel at once; with {@code kill}, the node is killed while they run. Returns how many
   * calls were answered 200.
   */
  private int load(Node node, List<ChannelConfig> channels, boolean kill) throws Exception {
    HttpResponse<String> unpaid = http.send(request(node.url, null), HttpResponse.BodyHandlers.ofString());
    PaymentRequirements offer = X402Codec.decodePaymentRequiredHeader(unpaid.headers().firstValue("PAYMENT-REQUIRED")
        .orElseThrow(() -> new AssertionError(unpaid.statusCode() + " " + unpaid.body()))).accepts().get(0);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger answered = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(channels.size());
    List<Future<?>> running = new ArrayList<>();
    for (ChannelConfig ch : channels) {
      running.add(pool.submit(() -> {
        Bytes32 id = BatchSettlementTypedData.channelId(DOMAIN, ch);
        BigInteger cumulative = null;     // learnt from the first corrective 402
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(kill ? 30 : 4);
        int mine = 0;
        while (!stop.get() && System.nanoTime() < deadline && (kill || mine < 20)) {
          BigInteger max = (cumulative == null ? BigInteger.ZERO : cumulative).add(BigInteger.TEN);
          String sig = Secp256k1.sign(BatchSettlementTypedData.voucherDigest(DOMAIN, id, max), CONSUMER).toHex();
          String payment = X402Codec.encodePaymentSignatureHeader(new PaymentPayload(2, offer,
              new SchemePayload.VoucherPayload(ch, new SignedVoucher(id, max, sig)), null, null));
          HttpResponse<String> r;
          try {
            r = http.send(request(node.url, payment), HttpResponse.BodyHandlers.ofString());
          } catch (java.io.IOException e) {
            return null;      // the node died under us
          }
          if (r.statusCode() == 200) {
            cumulative = max;
            mine++;
            answered.incrementAndGet();
          } else if (r.statusCode() == 402) {
            PaymentRequirements correction = X402Codec.decodePaymentRequiredHeader(
                r.headers().firstValue("PAYMENT-REQUIRED").orElseThrow()).accepts().get(0);
            if (correction.extra().channelState() != null) {
              cumulative = correction.extra().channelState().chargedCumulativeAmount();
            } else {
              Thread.sleep(100);      // channel_busy: a dead node's lease, until it expires
            }
          } else {
            throw new AssertionError(r.statusCode() + " " + r.body());
          }
        }
        return null;
      }));
    }
    if (kill) {
      for (int i = 0; i < 400 && answered.get() < 40; i++) {
        Thread.sleep(25);
      }
      node.process.destroyForcibly().waitFor();     // kill -9 mid-load
      stop.set(true);
    }
    for (Future<?> f : running) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdownNow();
    return answered.get();
  }

  private static void check(Path ledgerFile, List<ChannelConfig> channels) {
    try (ChannelLedger ledger = SqliteChannelLedger.open(ledgerFile, Clock.systemUTC())) {
      ReceiptJournal journal = ReceiptJournal.open(ledger);
      List<StoredReceipt> all = journal.receipts(RECEIPT_KEY.address(), 0, ReceiptJournal.MAX_LIMIT);
      for (int i = 0; i < all.size(); i++) {
        assertEquals(i, all.get(i).receipt().receipt().seq(), "seq without gaps");
      }
      for (ChannelConfig ch : channels) {
        String id = BatchSettlementTypedData.channelId(DOMAIN, ch).toString();
        BigInteger charged = ledger.get(id).orElseThrow().chargedCumulativeAmount();
        BigInteger sum = BigInteger.ZERO;
        for (StoredReceipt r : journal.byChannel(id, -1, ReceiptJournal.MAX_LIMIT)) {
          sum = sum.add(r.receipt().receipt().chargedAmount());
          assertEquals(sum, r.receipt().receipt().chargedCumulativeAmount(), "each receipt follows the previous one");
        }
        assertEquals(charged, sum, "channel " + id + ": the receipts account for exactly the committed charges");
      }
    }
  }

  private static HttpRequest request(String url, String payment) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/v1/services/doubler"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"values\":[[1,2,3,4]]}"));
    if (payment != null) {
      b.header("PAYMENT-SIGNATURE", payment);
    }
    return b.build();
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
      pb.environment().putAll(TestReceipts.env(RECEIPT_KEY));
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
