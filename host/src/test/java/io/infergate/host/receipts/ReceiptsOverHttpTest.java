package io.infergate.host.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.host.fixtures.TestNode;
import io.infergate.host.fixtures.TestPluginZip;
import io.infergate.host.fixtures.TestReceipts;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import io.infergate.host.testplugins.DoublerService;
import io.infergate.host.testplugins.FailingService;
import io.infergate.host.testplugins.FloatsAdapter;
import io.infergate.host.testplugins.TestModels;
import io.infergate.x402.X402Reference;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.receipt.InferenceReceipt;
import io.infergate.x402.receipt.RequestHash;
import io.infergate.x402.receipt.SignedReceipt;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.SchemePayload;
import io.infergate.x402.wire.SettlementResponse;
import io.infergate.x402.wire.SignedVoucher;
import io.infergate.x402.wire.X402Codec;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receipts of paid calls through a real node (SQLite ledger, real ORT model, real secp256k1 vouchers in real x402
 * headers), checked with viem (a verifier not written here): the signature recovers to the node's receipt key,
 * the hashes match the bytes sent and received, seq is gapless across concurrent calls on several channels, a
 * failed call issues nothing, and the receipt routes serve the same document.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReceiptsOverHttpTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long CHAIN = 31337;
  static final Address CONTRACT = Address.parse("0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003");
  static final PrivateKey CONSUMER = PrivateKey.random();
  static final PrivateKey RECEIPT_KEY = PrivateKey.random();
  static final Address ASSET = PrivateKey.random().address();
  static final Address PAY_TO = PrivateKey.random().address();
  static final Address AUTHORIZER = PrivateKey.random().address();
  static final Eip712Domain DOMAIN = Eip712Domain.batchSettlement(CHAIN, CONTRACT);
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final String VALUES = "{\"values\":[[1,2,3,4]]}";

  @TempDir static Path dir;
  TestNode node;
  Path ledgerFile;
  X402Reference viem;
  PaymentRequirements offer;
  final Map<Integer, BigInteger> charged = new HashMap<>();

  @BeforeAll
  void start() throws Exception {
    ledgerFile = dir.resolve("ledger.sqlite");
    node = TestNode.builder(dir.resolve("node"))
        .plugin(TestPluginZip.plugin("doubler").extension(DoublerService.class).include(TestModels.class))
        .plugin(TestPluginZip.plugin("failing").extension(FailingService.class).include(FloatsAdapter.class))
        .set("payments.enabled", "true")
        .set("payments.asset", ASSET.toString())
        .set("payments.asset-name", "DevUSD")
        .set("payments.pay-to", PAY_TO.toString())
        .set("payments.receiver-authorizer", AUTHORIZER.toString())
        .set("payments.ledger", ledgerFile.toString())
        .setAll(TestReceipts.config())
        .env(TestReceipts.env(RECEIPT_KEY))
        .start();
    ChannelLedger ledger = node.host().ledger().orElseThrow();     // the running node owns the file
    for (int c = 0; c < 8; c++) {
      String id = channelId(c).toString();
      ledger.upsertChannel(id, io.infergate.host.payments.ledger.ChannelConfig.from(channel(c)));
      ledger.applyChainState(id, BigInteger.valueOf(1_000_000), BigInteger.ZERO, 0, BigInteger.ZERO, 1);
    }
    offer = X402Codec.decodePaymentRequiredHeader(node.postJson("/v1/services/doubler", "{}").headers()
        .firstValue("PAYMENT-REQUIRED").orElseThrow()).accepts().get(0);
    viem = X402Reference.start();
  }

  @AfterAll
  void stop() {
    viem.close();
    node.close();
  }

  static ChannelConfig channel(int n) {
    return new ChannelConfig(CONSUMER.address(), CONSUMER.address(), PAY_TO, AUTHORIZER, ASSET, 86400,
        Bytes32.keccak(new byte[] {(byte) n}));
  }

  static Bytes32 channelId(int n) {
    return BatchSettlementTypedData.channelId(DOMAIN, channel(n));
  }

  /** A paid call on channel {@code c} paying its next 10. */
  synchronized String payment(int c) {
    BigInteger max = charged.getOrDefault(c, BigInteger.ZERO).add(BigInteger.TEN);
    charged.put(c, max);
    return voucher(c, max);
  }

  String voucher(int c, BigInteger max) {
    String signature = Secp256k1.sign(BatchSettlementTypedData.voucherDigest(DOMAIN, channelId(c), max), CONSUMER)
        .toHex();
    return X402Codec.encodePaymentSignatureHeader(new PaymentPayload(2, offer,
        new SchemePayload.VoucherPayload(channel(c), new SignedVoucher(channelId(c), max, signature)), null, null));
  }

  HttpResponse<byte[]> post(String path, byte[] body, String payment, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(node.uri(path)).header("PAYMENT-SIGNATURE", payment)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    if (!headers.containsKey("Content-Type")) {
      b.header("Content-Type", "application/json");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * The receipt of a successful answer, checked: it is in the PAYMENT-RESPONSE extension, the id header names it,
   * viem recovers the node's key, hashes match.
   */
  JsonNode checkedReceipt(HttpResponse<byte[]> r, String service, String path, long headerLength, byte[] sent)
      throws Exception {
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    SettlementResponse settled = X402Codec.decodePaymentResponseHeader(
        r.headers().firstValue("PAYMENT-RESPONSE").orElseThrow());
    JsonNode header = settled.extensions().get("inference-receipt");
    assertEquals(header.path("id").asText(), r.headers().firstValue("Infergate-Receipt-Id").orElseThrow());
    assertTrue(r.headers().firstValue("Infergate-Receipt").isEmpty(), "the receipt travels once");
    ObjectNode req = X402Reference.request("receipt");
    req.set("doc", header);
    JsonNode recovered = viem.call(req);
    assertEquals(RECEIPT_KEY.address().toChecksumString(), recovered.path("signer").asText());
    assertEquals(header.path("id").asText(), recovered.path("digest").asText());
    JsonNode m = header.path("message");
    assertEquals(Bytes32.keccak(r.body()).toString(), m.path("responseHash").asText());
    assertEquals(RequestHash.of(service, path, headerLength, sent).toString(), m.path("requestHash").asText());
    assertEquals(service, m.path("service").asText());
    assertEquals(settled.extra().channelState().chargedCumulativeAmount().toString(),
        m.path("chargedCumulativeAmount").asText(), "the receipt states the committed cumulative charge");
    assertEquals(settled.extra().chargedAmount().toString(), m.path("chargedAmount").asText());
    assertEquals(PAY_TO.toChecksumString(), m.path("provider").asText(), "provider defaults to payments.pay-to");
    assertEquals(TestReceipts.ANCHOR.toChecksumString(), header.path("domain").path("verifyingContract").asText());
    // The standard x402 offer-receipt receipt rides along, and @x402/extensions verifies it.
    ObjectNode std = X402Reference.request("offerReceipt").put("kind", "receipt");
    std.set("artifact", settled.extensions().path("offer-receipt").path("info").path("receipt"));
    JsonNode verified = viem.call(std);
    assertEquals(RECEIPT_KEY.address().toChecksumString(), verified.path("signer").asText(), verified.toString());
    assertEquals(CONSUMER.address().toChecksumString(), verified.path("payload").path("payer").asText());
    assertTrue(verified.path("payload").path("resourceUrl").asText().endsWith(path), verified.toString());
    assertEquals("eip155:31337", verified.path("payload").path("network").asText());
    // The unsigned runtime profile hashes to the signed runtimeProfileHash.
    String profile = canonical(header.path("runtimeProfile"));
    assertEquals(Bytes32.keccak(profile.getBytes(StandardCharsets.UTF_8)).toString(),
        m.path("runtimeProfileHash").asText());
    return header;
  }

  /** Sorted keys, no whitespace: what the runtime profile's hash is over. */
  static String canonical(JsonNode profile) throws Exception {
    return JSON.copy().configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
        .writeValueAsString(JSON.convertValue(profile, java.util.TreeMap.class));
  }

  @Test
  void paidCallsOnBothRoutesCarryAVerifiableReceipt() throws Exception {
    byte[] body = VALUES.getBytes(StandardCharsets.UTF_8);
    JsonNode a = checkedReceipt(post("/v1/services/doubler", body, payment(0), Map.of()), "doubler",
        "/v1/services/doubler", 0, body);
    byte[] oip = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}"
        .getBytes(StandardCharsets.UTF_8);
    JsonNode b = checkedReceipt(post("/v2/models/doubler/infer", oip, payment(0), Map.of()), "doubler",
        "/v2/models/doubler/infer", 0, oip);
    // The binary extension: the header length is part of the request hash.
    byte[] head = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":16}}]}"
        .getBytes(StandardCharsets.UTF_8);
    ByteBuffer bin = ByteBuffer.allocate(head.length + 16).order(ByteOrder.LITTLE_ENDIAN).put(head);
    for (float f : new float[] {1, 2, 3, 4}) {
      bin.putFloat(f);
    }
    JsonNode c = checkedReceipt(post("/v2/models/doubler/infer", bin.array(), payment(0),
        Map.of("Inference-Header-Content-Length", Integer.toString(head.length), "Content-Type",
            "application/octet-stream")), "doubler", "/v2/models/doubler/infer", head.length, bin.array());
    long seqA = a.path("message").path("seq").asLong();
    assertTrue(b.path("message").path("seq").asLong() > seqA && c.path("message").path("seq").asLong() > seqA);
    assertEquals(a.path("message").path("runtimeProfileHash"), b.path("message").path("runtimeProfileHash"));
    assertNotEquals(a.path("message").path("requestHash"), b.path("message").path("requestHash"));

    // The metadata shows the same profile the receipts sign.
    JsonNode meta = JSON.readTree(node.get("/v2/models/doubler").body());
    assertEquals(a.path("message").path("runtimeProfileHash").asText(), meta.path("runtimeProfile").path("hash").asText());
    assertEquals(canonical(a.path("runtimeProfile")), meta.path("runtimeProfile").path("canonical").asText());
    assertEquals(InferenceReceipt.modelSetHash(List.of(TestModels.contentId(TestModels.DOUBLER))).toString(),
        a.path("message").path("modelCid").asText());

    // GET /v1/receipts/{id} serves the same document, and it parses strictly.
    HttpResponse<String> served = node.get("/v1/receipts/" + b.path("id").asText());
    assertEquals(200, served.statusCode(), served.body());
    assertEquals(b, JSON.readTree(served.body()));
    assertEquals(RECEIPT_KEY.address(), SignedReceipt.fromJson(served.body().getBytes(StandardCharsets.UTF_8)).signer());
  }

  @Test
  void theOfferInThe402IsSignedAsX402OfferReceipt() throws Exception {
    var required = X402Codec.decodePaymentRequiredHeader(node.postJson("/v1/services/doubler", "{}").headers()
        .firstValue("PAYMENT-REQUIRED").orElseThrow());
    JsonNode offer = required.extensions().path("offer-receipt").path("info").path("offers").get(0);
    ObjectNode req = X402Reference.request("offerReceipt").put("kind", "offer");
    req.set("artifact", offer);
    JsonNode verified = viem.call(req);
    assertEquals(RECEIPT_KEY.address().toChecksumString(), verified.path("signer").asText(), verified.toString());
    JsonNode terms = X402Codec.toJson(required.accepts().get(0));
    for (String f : List.of("scheme", "network", "asset", "payTo", "amount")) {
      assertEquals(terms.path(f).asText(), verified.path("payload").path(f).asText(), f);
    }
    assertTrue(verified.path("payload").path("validUntil").asLong() > System.currentTimeMillis() / 1000);
  }

  @Test
  void aFailedCallIssuesNoReceiptAndConsumesNoSeq() throws Exception {
    JsonNode before = checkedReceipt(post("/v1/services/doubler", VALUES.getBytes(StandardCharsets.UTF_8), payment(1),
        Map.of()), "doubler", "/v1/services/doubler", 0, VALUES.getBytes(StandardCharsets.UTF_8));
    BigInteger next = charged.get(1).add(BigInteger.TEN);
    HttpResponse<byte[]> bad = post("/v1/services/doubler", "{\"values\":[[1,2,3]]}".getBytes(StandardCharsets.UTF_8),
        voucher(1, next), Map.of());
    assertEquals(400, bad.statusCode());
    assertTrue(bad.headers().firstValue("Infergate-Receipt-Id").isEmpty());
    // The failing service is free: its voucher repeats the cumulative amount; it breaks after payment was accepted.
    HttpResponse<byte[]> broken = post("/v1/services/failing", "{\"x\":[1]}".getBytes(StandardCharsets.UTF_8),
        voucher(1, charged.get(1)), Map.of());
    assertEquals(500, broken.statusCode(), new String(broken.body(), StandardCharsets.UTF_8));
    assertTrue(broken.headers().firstValue("Infergate-Receipt-Id").isEmpty());
    JsonNode after = checkedReceipt(post("/v1/services/doubler", VALUES.getBytes(StandardCharsets.UTF_8), payment(1),
        Map.of()), "doubler", "/v1/services/doubler", 0, VALUES.getBytes(StandardCharsets.UTF_8));
    // Nothing else runs on channel 1: the two receipts follow each other on it; and no receipt of this signer is
    // missing from the journal (the failures consumed no number).
    List<Long> seqs = new ArrayList<>();
    for (JsonNode r : JSON.readTree(node.get("/v1/receipts?channel=" + channelId(1)).body()).path("receipts")) {
      seqs.add(r.path("message").path("seq").asLong());
    }
    assertEquals(List.of(before.path("message").path("seq").asLong(), after.path("message").path("seq").asLong()), seqs);
    assertGapless();
  }

  @Test
  void concurrentCallsOnSeveralChannelsNumberWithoutGaps() throws Exception {
    int channels = 5;
    int calls = 8;
    ExecutorService pool = Executors.newFixedThreadPool(channels);
    List<Future<List<String>>> done = new ArrayList<>();
    for (int c = 2; c < 2 + channels; c++) {
      int ch = c;
      done.add(pool.submit(() -> {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
          HttpResponse<byte[]> r = post("/v1/services/doubler", VALUES.getBytes(StandardCharsets.UTF_8), payment(ch),
              Map.of());
          assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
          ids.add(r.headers().firstValue("Infergate-Receipt-Id").orElseThrow());
        }
        return ids;
      }));
    }
    for (int k = 0; k < channels; k++) {
      List<String> ids = done.get(k).get();
      // Paged listing of the channel: 3 at a time, following "next".
      List<String> listed = new ArrayList<>();
      String after = "-1";
      while (true) {
        JsonNode page = JSON.readTree(node.get("/v1/receipts?channel=" + channelId(2 + k) + "&limit=3&after=" + after)
            .body());
        page.path("receipts").forEach(r -> listed.add(r.path("id").asText()));
        if (page.path("next").isNull()) {
          break;
        }
        after = page.path("next").asText();
      }
      assertEquals(ids, listed);
    }
    pool.shutdown();
    assertGapless();
  }

  @Test
  void receiptRoutesAnswerBadAndUnknownIdsClearly() throws Exception {
    HttpResponse<String> unknown = node.get("/v1/receipts/" + Bytes32.keccak(new byte[] {1}));
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("no receipt with id"), unknown.body());
    HttpResponse<String> bad = node.get("/v1/receipts/12345");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("not a receipt id"), bad.body());
    HttpResponse<String> noChannel = node.get("/v1/receipts");
    assertEquals(400, noChannel.statusCode());
    assertTrue(noChannel.body().contains("channel="), noChannel.body());
    HttpResponse<String> badLimit = node.get("/v1/receipts?channel=" + channelId(0) + "&limit=0");
    assertEquals(400, badLimit.statusCode());
    assertTrue(badLimit.body().contains("limit"), badLimit.body());
    HttpResponse<String> empty = node.get("/v1/receipts?channel=" + Bytes32.keccak(new byte[] {9}));
    assertEquals(200, empty.statusCode());
    assertEquals(0, JSON.readTree(empty.body()).path("receipts").size());
  }

  /** Every receipt of the node's key, seq 0..n-1, each one's charge in the ledger. */
  void assertGapless() {
    {
      ReceiptJournal journal = ReceiptJournal.open(node.host().ledger().orElseThrow());
      List<StoredReceipt> all = journal.receipts(RECEIPT_KEY.address(), 0, 1000);
      for (int i = 0; i < all.size(); i++) {
        assertEquals(i, all.get(i).receipt().receipt().seq());
      }
      assertEquals(all.size() - 1, journal.lastSeq(RECEIPT_KEY.address()));
    }
  }
}
