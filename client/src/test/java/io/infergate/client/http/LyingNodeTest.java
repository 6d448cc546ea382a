package io.infergate.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.client.ClientException;
import io.infergate.client.NodeMisbehavedException;
import io.infergate.client.channel.ChannelRecord;
import io.infergate.client.store.ChannelStore;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.wire.BatchSettlementError;
import io.infergate.x402.wire.BatchSettlementExtra;
import io.infergate.x402.wire.ChannelState;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequired;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.ResourceInfo;
import io.infergate.x402.wire.SettlementResponse;
import io.infergate.x402.wire.VoucherState;
import io.infergate.x402.wire.X402Codec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small Vert.x server that answers like an Infergate node but lies: the client must catch each lie before
 * it signs again, quarantine the channel and say why.
 */
class LyingNodeTest {
  static final BigInteger PRICE = BigInteger.valueOf(1000);
  static final Address ASSET = PrivateKey.random().address();
  static final Address PAY_TO = PrivateKey.random().address();
  static final Address AUTHORIZER = PrivateKey.random().address();
  static final PaymentRequirements OFFER = PaymentRequirements.batchSettlement(31337, PRICE, ASSET, PAY_TO, 3600,
      BatchSettlementExtra.of(AUTHORIZER, 86400, "DevUSD", "1"));

  enum Lie { CHARGED_CUMULATIVE_TOO_HIGH, CHARGE_ABOVE_OFFER, UNSIGNED_CORRECTION }

  @TempDir Path dir;
  final Vertx vertx = Vertx.vertx();
  final AtomicInteger paidRequests = new AtomicInteger();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  URI start(Lie lie) throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> answer(req, lie)))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/v1/services/liar");
  }

  private void answer(HttpServerRequest req, Lie lie) {
    String header = req.getHeader(X402Codec.PAYMENT_SIGNATURE_HEADER);
    PaymentRequired offer = PaymentRequired.of(new ResourceInfo(req.absoluteURI(), null, null), List.of(OFFER));
    if (header == null) {
      req.response().setStatusCode(402).putHeader(X402Codec.PAYMENT_REQUIRED_HEADER,
          X402Codec.encodePaymentRequiredHeader(offer)).end("{\"error\":\"pay\"}");
      return;
    }
    paidRequests.incrementAndGet();
    PaymentPayload p = X402Codec.decodePaymentSignatureHeader(header);
    BigInteger max = p.payload().voucher().maxClaimableAmount();
    var id = p.payload().voucher().channelId();
    BigInteger balance = BigInteger.valueOf(1_000_000);
    switch (lie) {
      case CHARGED_CUMULATIVE_TOO_HIGH -> settle(req, PRICE, new ChannelState(id, balance, BigInteger.ZERO, 0,
          BigInteger.ZERO, max.add(PRICE)));
      case CHARGE_ABOVE_OFFER -> settle(req, PRICE.add(BigInteger.ONE), new ChannelState(id, balance, BigInteger.ZERO,
          0, BigInteger.ZERO, max.add(BigInteger.ONE)));
      case UNSIGNED_CORRECTION -> {
        // claims 50 000 charged, "proved" by a voucher some other key signed
        BigInteger claimed = BigInteger.valueOf(50_000);
        String forged = PrivateKey.random().sign(BatchSettlementTypedData.voucherDigest(
            Eip712Domain.batchSettlement(31337, PaidNode.CONTRACT), id, claimed)).toHex();
        PaymentRequired corrective = PaymentRequired.of(offer.resource(), List.of(OFFER.withCorrection(
            new ChannelState(id, balance, BigInteger.ZERO, 0, BigInteger.ZERO, claimed), new VoucherState(claimed, forged))))
            .withError(BatchSettlementError.CUMULATIVE_AMOUNT_MISMATCH.code());
        req.response().setStatusCode(402).putHeader(X402Codec.PAYMENT_REQUIRED_HEADER,
            X402Codec.encodePaymentRequiredHeader(corrective)).end("{\"error\":\"mismatch\"}");
      }
    }
  }

  private static void settle(HttpServerRequest req, BigInteger charged, ChannelState state) {
    req.response().putHeader(X402Codec.PAYMENT_RESPONSE_HEADER, X402Codec.encodePaymentResponseHeader(
        SettlementResponse.voucher("eip155:31337", null, charged, state))).end("{\"ok\":true}");
  }

  private void assertCaughtAndQuarantined(Lie lie, NodeMisbehavedException.Violation expected) throws Exception {
    URI url = start(lie);
    try (ChannelStore store = ChannelStore.open(dir.resolve("client.db"))) {
      PaidHttpClient client = PaidHttpClient.builder().payer(PrivateKey.random()).store(store).build();
      ChannelRecord ch = client.openChannel(client.offer(url));
      NodeMisbehavedException e = assertThrows(NodeMisbehavedException.class, () -> client.call(url, "{}"));
      assertEquals(expected, e.violation(), e.getMessage());
      assertEquals(ch.channelId(), e.channelId());
      ChannelRecord after = store.find(ch.channelId()).orElseThrow();
      assertTrue(after.quarantined(), "the channel is quarantined");
      assertTrue(after.quarantineReason().startsWith(expected.name()), after.quarantineReason());
      assertEquals(BigInteger.ZERO, after.charged(), "nothing the liar said was adopted");

      int paid = paidRequests.get();
      ClientException next = assertThrows(ClientException.class, () -> client.call(url, "{}"));
      assertTrue(next.getMessage().contains("quarantined"), next.getMessage());
      assertEquals(paid, paidRequests.get(), "no voucher is sent on a quarantined channel");
    }
  }

  @Test
  void aCumulativeChargeThatDoesNotAddUpIsCaught() throws Exception {
    assertCaughtAndQuarantined(Lie.CHARGED_CUMULATIVE_TOO_HIGH, NodeMisbehavedException.Violation.CUMULATIVE_MISMATCH);
  }

  @Test
  void aChargeAboveTheOfferIsCaught() throws Exception {
    assertCaughtAndQuarantined(Lie.CHARGE_ABOVE_OFFER, NodeMisbehavedException.Violation.CHARGE_ABOVE_OFFER);
  }

  @Test
  void aCorrectionWithoutOurSignatureIsNotBelieved() throws Exception {
    assertCaughtAndQuarantined(Lie.UNSIGNED_CORRECTION, NodeMisbehavedException.Violation.UNSIGNED_CLAIM);
  }
}
