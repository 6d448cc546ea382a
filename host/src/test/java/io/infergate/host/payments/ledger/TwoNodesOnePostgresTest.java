package io.infergate.host.payments.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.TestNode;
import io.infergate.host.fixtures.TestPluginZip;
import io.infergate.host.fixtures.TestPostgres;
import io.infergate.host.testplugins.DoublerService;
import io.infergate.host.testplugins.TestModels;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of one provider, two real nodes sharing one real PostgreSQL ledger, hammered on one
 * channel: every voucher is sent to both at the same moment. At most one may accept it, and in the end the
 * channel is charged exactly once per accepted call.
 */
class TwoNodesOnePostgresTest {
  static final long CHAIN = 31337;
  static final Address CONTRACT = Address.parse("0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003");
  /** Both replicas sign receipts with one key: its seq stream is shared through PostgreSQL. */
  static final PrivateKey RECEIPT_KEY = PrivateKey.random();
  @TempDir Path dir;

  @Test
  void twoReplicasNeverAcceptTheSameVoucherIncrement() throws Exception {
    String url = TestPostgres.freshSchemaUrl();
    PrivateKey consumer = PrivateKey.random();
    Address asset = PrivateKey.random().address();
    Address payTo = PrivateKey.random().address();
    Address authorizer = PrivateKey.random().address();
    Eip712Domain domain = Eip712Domain.batchSettlement(CHAIN, CONTRACT);
    io.infergate.x402.eip712.ChannelConfig channel = new io.infergate.x402.eip712.ChannelConfig(consumer.address(), consumer.address(), payTo, authorizer, asset, 86400,
        Bytes32.keccak(new byte[] {7}));
    Bytes32 channelId = BatchSettlementTypedData.channelId(domain, channel);
    Map<String, String> payments = Map.of("payments.enabled", "true", "payments.asset", asset.toString(),
        "payments.asset-name", "DevUSD", "payments.pay-to", payTo.toString(),
        "payments.receiver-authorizer", authorizer.toString(), "payments.ledger", url);

    try (TestNode a = node(dir.resolve("a"), payments); TestNode b = node(dir.resolve("b"), payments)) {
      ChannelLedger seed = PostgresChannelLedger.open(url, 1, Clock.systemUTC());
      seed.upsertChannel(channelId.toString(), ChannelConfig.from(channel));
      seed.applyChainState(channelId.toString(), BigInteger.valueOf(1_000_000), BigInteger.ZERO, 0, BigInteger.ZERO, 1);

      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      PaymentRequirements offer = X402Codec.decodePaymentRequiredHeader(
          a.postJson("/v1/services/doubler", "{}").headers().firstValue("PAYMENT-REQUIRED").orElseThrow()).accepts().get(0);
      int accepted = 0;
      for (int k = 1; k <= 20; k++) {
        BigInteger max = BigInteger.valueOf(10L * k);
        String signature = Secp256k1.sign(BatchSettlementTypedData.voucherDigest(domain, channelId, max), consumer).toHex();
        String header = X402Codec.encodePaymentSignatureHeader(new PaymentPayload(2, offer,
            new SchemePayload.VoucherPayload(channel, new SignedVoucher(channelId, max, signature)), null, null));
        int wins = 0;
        for (int attempt = 0; attempt < 20 && wins == 0; attempt++) {
          List<CompletableFuture<HttpResponse<String>>> both = List.of(send(http, a, header), send(http, b, header));
          for (CompletableFuture<HttpResponse<String>> f : both) {
            if (f.get().statusCode() == 200) {
              wins++;
            } else {
              assertEquals(402, f.get().statusCode(), f.get().body());
            }
          }
          assertTrue(wins <= 1, "voucher " + max + " was accepted by both replicas");
        }
        assertEquals(1, wins, "voucher " + max + " was never accepted");
        accepted += wins;
      }
      ChannelState state = seed.get(channelId.toString()).orElseThrow();
      assertEquals(BigInteger.valueOf(10L * accepted), state.chargedCumulativeAmount());
      assertEquals(20, accepted);
      // One receipt per accepted charge, from either replica, numbered 0..19 without gaps in charge order.
      var receipts = io.infergate.host.receipts.ReceiptJournal.open(seed).receipts(RECEIPT_KEY.address(), 0, 100);
      assertEquals(20, receipts.size());
      for (int i = 0; i < 20; i++) {
        assertEquals(i, receipts.get(i).receipt().receipt().seq());
        assertEquals(BigInteger.valueOf(10L * (i + 1)), receipts.get(i).receipt().receipt().chargedCumulativeAmount());
        assertEquals(RECEIPT_KEY.address(), receipts.get(i).receipt().signer());
      }
      seed.close();
    }
  }

  private static CompletableFuture<HttpResponse<String>> send(HttpClient http, TestNode node, String header) {
    return http.sendAsync(HttpRequest.newBuilder(node.uri("/v1/services/doubler")).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").header("PAYMENT-SIGNATURE", header)
        .POST(HttpRequest.BodyPublishers.ofString("{\"values\":[[1,2,3,4]]}")).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static TestNode node(Path dir, Map<String, String> payments) {
    return TestNode.builder(dir)
        .plugin(TestPluginZip.plugin("doubler").extension(DoublerService.class).include(TestModels.class))
        .setAll(payments).setAll(io.infergate.host.fixtures.TestReceipts.config())
        .env(io.infergate.host.fixtures.TestReceipts.env(RECEIPT_KEY)).start();
  }
}
