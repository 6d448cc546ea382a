package io.infergate.client.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.receipt.SignedReceipt;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.SchemePayload;
import io.infergate.x402.wire.SignedVoucher;
import io.infergate.x402.wire.X402Codec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Determinism under one runtime profile, as receipts state it: the real text-embedding plugin (MiniLM int8) on
 * CPU answers the same request with the same bytes, so with the same responseHash, in another node (a restart
 * with a fresh JVM state of the host) and from several threads at once; the runtimeProfileHash is the same too.
 */
class ReceiptDeterminismTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final byte[] REQUEST = "{\"texts\":[\"Receipts bind work to payment.\",\"The same input, the same bytes.\"]}"
      .getBytes(StandardCharsets.UTF_8);
  static final int THREADS = 6;
  static final int CALLS = 5;
  @TempDir Path dir;

  /** One consumer's channel 0 on the node, paying call after call. */
  static final class Payer {
    final PrivateKey key;
    BigInteger charged = BigInteger.ZERO;

    Payer(PrivateKey key) {
      this.key = key;
    }

    Answer call(PaidNode node, PaymentRequirements offer) throws Exception {
      ChannelConfig config = PaidNode.terms().config(key.address(), key.address(), 0);
      Bytes32 channel = PaidNode.channelOf(key);
      BigInteger max = charged.add(offer.amount());
      String sig = Secp256k1.sign(BatchSettlementTypedData.voucherDigest(
          Eip712Domain.batchSettlement(PaidNode.CHAIN, PaidNode.CONTRACT), channel, max), key).toHex();
      String payment = X402Codec.encodePaymentSignatureHeader(new PaymentPayload(2, offer,
          new SchemePayload.VoucherPayload(config, new SignedVoucher(channel, max, sig)), null, null));
      var r = node.host.postBytes("/v1/services/text-embedding", REQUEST,
          Map.of("Content-Type", "application/json", "PAYMENT-SIGNATURE", payment));
      assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
      charged = X402Codec.decodePaymentResponseHeader(r.headers().firstValue("PAYMENT-RESPONSE").orElseThrow())
          .extra().channelState().chargedCumulativeAmount();
      JsonNode receipt = X402Codec.decodePaymentResponseHeader(r.headers().firstValue("PAYMENT-RESPONSE").orElseThrow())
          .extensions().get("inference-receipt");
      assertEquals(receipt.path("id").asText(), r.headers().firstValue("Infergate-Receipt-Id").orElseThrow());
      SignedReceipt parsed = SignedReceipt.fromJson(receipt);
      assertEquals(PaidNode.RECEIPT_KEY.address(), parsed.signer());
      assertEquals(Bytes32.keccak(r.body()), parsed.receipt().responseHash(), "responseHash = keccak256(body)");
      return new Answer(r.body(), parsed);
    }
  }

  record Answer(byte[] body, SignedReceipt receipt) {}

  static PaymentRequirements offer(PaidNode node) {
    return X402Codec.decodePaymentRequiredHeader(node.host.postJson("/v1/services/text-embedding", "{}").headers()
        .firstValue("PAYMENT-REQUIRED").orElseThrow()).accepts().get(0);
  }

  @Test
  void theSameRequestGivesTheSameBytesAcrossARestartAndUnderConcurrency() throws Exception {
    List<Payer> payers = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      payers.add(new Payer(PrivateKey.random()));
    }
    PrivateKey[] keys = payers.stream().map(p -> p.key).toArray(PrivateKey[]::new);
    Answer first;
    List<Answer> concurrent = new ArrayList<>();
    try (PaidNode node = PaidNode.start(dir.resolve("first"), BigInteger.valueOf(1_000_000_000), keys)) {
      PaymentRequirements offer = offer(node);
      first = payers.get(0).call(node, offer);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<List<Answer>>> done = new ArrayList<>();
      for (Payer p : payers) {
        done.add(pool.submit(() -> {
          List<Answer> mine = new ArrayList<>();
          for (int i = 0; i < CALLS; i++) {
            mine.add(p.call(node, offer));
          }
          return mine;
        }));
      }
      for (Future<List<Answer>> f : done) {
        concurrent.addAll(f.get());
      }
      pool.shutdown();
    }
    Answer restarted;
    try (PaidNode node = PaidNode.start(dir.resolve("second"), BigInteger.valueOf(1_000_000_000), keys)) {
      restarted = new Payer(payers.get(1).key).call(node, offer(node));     // a fresh ledger: channel from 0
    }
    for (Answer a : concurrent) {
      assertArrayEquals(first.body(), a.body(), "the same bytes under concurrency");
      assertEquals(first.receipt().receipt().responseHash(), a.receipt().receipt().responseHash());
      assertEquals(first.receipt().receipt().requestHash(), a.receipt().receipt().requestHash());
      assertEquals(first.receipt().receipt().runtimeProfileHash(), a.receipt().receipt().runtimeProfileHash());
    }
    assertArrayEquals(first.body(), restarted.body(), "the same bytes after a restart");
    assertEquals(first.receipt().receipt().responseHash(), restarted.receipt().receipt().responseHash());
    assertEquals(first.receipt().receipt().runtimeProfileHash(), restarted.receipt().receipt().runtimeProfileHash());
    assertEquals(first.receipt().receipt().modelCid(), restarted.receipt().receipt().modelCid());
    assertEquals(first.receipt().receipt().pluginCid(), restarted.receipt().receipt().pluginCid());
  }
}
