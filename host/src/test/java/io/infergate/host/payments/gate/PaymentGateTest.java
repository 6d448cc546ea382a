package io.infergate.host.payments.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.host.fixtures.TestNode;
import io.infergate.host.fixtures.TestPluginZip;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.testplugins.DoublerService;
import io.infergate.host.testplugins.FailingService;
import io.infergate.host.testplugins.FloatsAdapter;
import io.infergate.host.testplugins.TestModels;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequired;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.SchemePayload;
import io.infergate.x402.wire.SettlementResponse;
import io.infergate.x402.wire.SignedVoucher;
import io.infergate.x402.wire.X402Codec;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate in a real node with a real SQLite ledger: vouchers signed with secp256k1 under the channel
 * contract's EIP-712 domain, decoded from real x402 headers. The channel's on-chain state is put into the
 * ledger as the chain watcher would after a deposit (no chain here; the chain side is tested on anvil).
 */
class PaymentGateTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long CHAIN = 31337;
  static final Address CONTRACT = Address.parse("0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003");
  static final PrivateKey CONSUMER = PrivateKey.random();
  static final Address ASSET = PrivateKey.random().address();
  static final Address PAY_TO = PrivateKey.random().address();
  static final Address AUTHORIZER = PrivateKey.random().address();
  static final Eip712Domain DOMAIN = Eip712Domain.batchSettlement(CHAIN, CONTRACT);
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir static Path dir;
  static TestNode node;
  static ChannelConfig channel;
  static Bytes32 channelId;

  @BeforeAll
  static void start() {
    Path ledgerFile = dir.resolve("ledger.sqlite");
    node = TestNode.builder(dir.resolve("node"))
        .plugin(TestPluginZip.plugin("doubler").extension(DoublerService.class).include(TestModels.class))
        .plugin(TestPluginZip.plugin("failing").extension(FailingService.class).include(FloatsAdapter.class))
        .set("payments.enabled", "true")
        .set("payments.asset", ASSET.toString())
        .set("payments.asset-name", "DevUSD")
        .set("payments.pay-to", PAY_TO.toString())
        .set("payments.receiver-authorizer", AUTHORIZER.toString())
        .set("payments.ledger", ledgerFile.toString())
        .setAll(io.infergate.host.fixtures.TestReceipts.config())
        .env(io.infergate.host.fixtures.TestReceipts.env(PrivateKey.random()))
        .start();
    channel = new ChannelConfig(CONSUMER.address(), CONSUMER.address(), PAY_TO, AUTHORIZER, ASSET, 86400,
        Bytes32.keccak(new byte[] {1}));
    channelId = BatchSettlementTypedData.channelId(DOMAIN, channel);
    // What the chain watcher records after the consumer's deposit of 1000 is confirmed. The running node owns the
    // ledger file, so through its own ledger instance.
    ChannelLedger ledger = node.host().ledger().orElseThrow();
    ledger.upsertChannel(channelId.toString(), LedgerMapping.toLedger(channel));
    ledger.applyChainState(channelId.toString(), BigInteger.valueOf(1000), BigInteger.ZERO, 0, BigInteger.ZERO, 1);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static PaymentRequirements offerFrom(HttpResponse<String> r) {
    PaymentRequired required = X402Codec.decodePaymentRequiredHeader(r.headers().firstValue("PAYMENT-REQUIRED").orElseThrow());
    return required.accepts().get(0);
  }

  static HttpResponse<String> call(String service, String body, PaymentRequirements offer, long cumulative) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(node.uri("/v1/services/" + service))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (offer != null) {
      BigInteger max = BigInteger.valueOf(cumulative);
      String signature = Secp256k1.sign(BatchSettlementTypedData.voucherDigest(DOMAIN, channelId, max), CONSUMER).toHex();
      PaymentPayload payload = new PaymentPayload(2, offer,
          new SchemePayload.VoucherPayload(channel, new SignedVoucher(channelId, max, signature)), null, null);
      b.header("PAYMENT-SIGNATURE", X402Codec.encodePaymentSignatureHeader(payload));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String error(HttpResponse<String> r) {
    return X402Codec.decodePaymentRequiredHeader(r.headers().firstValue("PAYMENT-REQUIRED").orElseThrow()).error();
  }

  /** {@code infergate_compute_duration_seconds_count} of a service, from the node's Prometheus page. */
  static double computeObservations(String service) throws Exception {
    String page = HTTP.send(HttpRequest.newBuilder(node.uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString())
        .body();
    return page.lines().filter(l -> l.startsWith("infergate_compute_duration_seconds_count")
            && l.contains("model=\"" + service + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void aPaidCallFlowChargesExactlyAndRefusesReplays() throws Exception {
    String values = "{\"values\":[[1,2,3,4]]}";
    HttpResponse<String> unpaid = call("doubler", values, null, 0);
    assertEquals(402, unpaid.statusCode(), unpaid.body());
    PaymentRequirements offer = offerFrom(unpaid);
    assertEquals("batch-settlement", offer.scheme());
    assertEquals("eip155:31337", offer.network());
    assertEquals(BigInteger.TEN, offer.amount(), "the service's price is the offer's maximum");
    assertEquals(PAY_TO, offer.payTo());

    HttpResponse<String> first = call("doubler", values, offer, 10);
    assertEquals(200, first.statusCode(), first.body());
    SettlementResponse settled = X402Codec.decodePaymentResponseHeader(first.headers().firstValue("PAYMENT-RESPONSE").orElseThrow());
    assertTrue(settled.success());
    assertEquals(BigInteger.TEN, settled.extra().chargedAmount());
    assertEquals(BigInteger.TEN, settled.extra().channelState().chargedCumulativeAmount());
    assertEquals(BigInteger.valueOf(1000), settled.extra().channelState().balance());

    assertEquals(200, call("doubler", values, offer, 20).statusCode());

    double computedBefore = computeObservations("doubler");
    HttpResponse<String> replay = call("doubler", values, offer, 20);
    assertEquals(402, replay.statusCode(), replay.body());
    assertEquals(computedBefore, computeObservations("doubler"),
        "a refused voucher is refused before the service runs, and is not counted as compute");
    assertEquals("invalid_batch_settlement_evm_cumulative_amount_mismatch", error(replay));
    PaymentRequirements corrective = offerFrom(replay);
    assertEquals(BigInteger.valueOf(20), corrective.extra().channelState().chargedCumulativeAmount(),
        "the corrective 402 tells the client where the channel stands");

    // A call that fails charges nothing: the same voucher then pays for a successful call.
    HttpResponse<String> failed = call("doubler", "{\"values\":[[1,2,3]]}", offer, 30);
    assertEquals(400, failed.statusCode(), failed.body());
    assertTrue(failed.headers().firstValue("PAYMENT-RESPONSE").isEmpty(), "no settlement for a failed call");
    HttpResponse<String> retried = call("doubler", values, offer, 30);
    assertEquals(200, retried.statusCode(), retried.body());
    assertEquals(BigInteger.valueOf(30), X402Codec.decodePaymentResponseHeader(
        retried.headers().firstValue("PAYMENT-RESPONSE").orElseThrow()).extra().channelState().chargedCumulativeAmount());

    // A voucher for more than charged + price is refused; so is the right amount signed by another key.
    HttpResponse<String> tooMuch = call("doubler", values, offer, 1040);
    assertEquals(402, tooMuch.statusCode(), tooMuch.body());
    assertEquals("invalid_batch_settlement_evm_cumulative_amount_mismatch", error(tooMuch));
    BigInteger next = BigInteger.valueOf(40);
    String forged = Secp256k1.sign(BatchSettlementTypedData.voucherDigest(DOMAIN, channelId, next), PrivateKey.random()).toHex();
    HttpResponse<String> stranger = HTTP.send(HttpRequest.newBuilder(node.uri("/v1/services/doubler"))
        .header("Content-Type", "application/json")
        .header("PAYMENT-SIGNATURE", X402Codec.encodePaymentSignatureHeader(new PaymentPayload(2, offer,
            new SchemePayload.VoucherPayload(channel, new SignedVoucher(channelId, next, forged)), null, null)))
        .POST(HttpRequest.BodyPublishers.ofString(values)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(402, stranger.statusCode(), stranger.body());
    assertEquals("invalid_batch_settlement_evm_voucher_signature", error(stranger));
    assertEquals(200, call("doubler", values, offer, 40).statusCode(), "the channel is unharmed");
  }

  @Test
  void aRefundOnANodeWithoutAChainIsRefusedWithWhatToDoInstead() throws Exception {
    PaymentRequirements offer = offerFrom(call("doubler", "{}", null, 0));
    // A zero-charge voucher for a fresh channel of the same payer (the other test charges the shared one).
    ChannelConfig other = new ChannelConfig(CONSUMER.address(), CONSUMER.address(), PAY_TO, AUTHORIZER, ASSET, 86400,
        Bytes32.keccak(new byte[] {2}));
    Bytes32 otherId = BatchSettlementTypedData.channelId(DOMAIN, other);
    String signature = Secp256k1.sign(BatchSettlementTypedData.voucherDigest(DOMAIN, otherId, BigInteger.ZERO), CONSUMER)
        .toHex();
    String header = X402Codec.encodePaymentSignatureHeader(new PaymentPayload(2, offer,
        new SchemePayload.RefundPayload(other, new SignedVoucher(otherId, BigInteger.ZERO, signature), null), null, null));
    for (HttpRequest.Builder request : new HttpRequest.Builder[] {
        HttpRequest.newBuilder(node.uri("/v1/services/doubler")).GET(),
        HttpRequest.newBuilder(node.uri("/v1/services/doubler")).POST(HttpRequest.BodyPublishers.ofString("{}"))}) {
      HttpResponse<String> r = HTTP.send(request.header("PAYMENT-SIGNATURE", header).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(402, r.statusCode(), r.body());
      assertEquals("invalid_batch_settlement_evm_refund_payload", error(r));
      assertTrue(r.body().contains("not connected to a chain") && r.body().contains("initiateWithdraw"), r.body());
    }
  }

  @Test
  void getOnAPaidRouteOffersPaymentButRunsNoCall() throws Exception {
    HttpResponse<String> probe = HTTP.send(HttpRequest.newBuilder(node.uri("/v1/services/doubler")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(402, probe.statusCode(), probe.body());
    PaymentRequirements offer = offerFrom(probe);
    BigInteger max = BigInteger.valueOf(1000);   // never a valid cumulative here: nothing may be charged by a GET
    String signature = Secp256k1.sign(BatchSettlementTypedData.voucherDigest(DOMAIN, channelId, max), CONSUMER).toHex();
    HttpResponse<String> paid = HTTP.send(HttpRequest.newBuilder(node.uri("/v1/services/doubler"))
        .header("PAYMENT-SIGNATURE", X402Codec.encodePaymentSignatureHeader(new PaymentPayload(2, offer,
            new SchemePayload.VoucherPayload(channel, new SignedVoucher(channelId, max, signature)), null, null)))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, paid.statusCode(), paid.body());
  }

  @Test
  void metadataCarriesTheOffer() throws Exception {
    String metadata = node.get("/v2/models/doubler").body();
    assertEquals("10", JSON.readTree(metadata).path("payment").path("amount").asText(), metadata);
    assertEquals("batch-settlement", JSON.readTree(metadata).path("payment").path("scheme").asText());
  }
}
