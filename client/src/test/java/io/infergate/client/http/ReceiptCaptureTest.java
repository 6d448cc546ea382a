package io.infergate.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.client.receipts.ReceiptAudit;
import io.infergate.client.store.ChannelStore;
import io.infergate.client.store.StoredCall;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.receipt.InferenceReceipt;
import io.infergate.x402.receipt.RequestHash;
import io.infergate.x402.receipt.SignedReceipt;
import io.infergate.x402.wire.ChannelState;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequired;
import io.infergate.x402.wire.ResourceInfo;
import io.infergate.x402.wire.SettlementResponse;
import io.infergate.x402.wire.X402Codec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client keeps the receipt of every paid answer and checks at once that it describes the call. The node
 * here is a small Vert.x server speaking the wire format (the real node's receipts are tested end to end
 * elsewhere); it signs receipts with {@link SignedReceipt#sign}, truthfully or not.
 */
class ReceiptCaptureTest {
  enum Mode { HONEST, LEGACY_HEADER, WRONG_RESPONSE_HASH, NO_RECEIPT, GARBLED, WRONG_ID }

  static final PrivateKey SIGNER = PrivateKey.random();
  static final String ANSWER = "{\"embeddings\":[[0.5]]}";

  @TempDir Path dir;
  final Vertx vertx = Vertx.vertx();
  final AtomicLong seq = new AtomicLong();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  URI start(Mode mode) throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> answer(req, b, mode)))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/v1/services/honest");
  }

  private void answer(HttpServerRequest req, Buffer body, Mode mode) {
    String header = req.getHeader(X402Codec.PAYMENT_SIGNATURE_HEADER);
    if (header == null) {
      req.response().setStatusCode(402).putHeader(X402Codec.PAYMENT_REQUIRED_HEADER, X402Codec.encodePaymentRequiredHeader(
          PaymentRequired.of(new ResourceInfo(req.absoluteURI(), null, null), List.of(LyingNodeTest.OFFER))))
          .end("{\"error\":\"pay\"}");
      return;
    }
    PaymentPayload p = X402Codec.decodePaymentSignatureHeader(header);
    BigInteger max = p.payload().voucher().maxClaimableAmount();
    Bytes32 channel = p.payload().voucher().channelId();
    ChannelState state = new ChannelState(channel, BigInteger.valueOf(1_000_000), BigInteger.ZERO, 0, BigInteger.ZERO, max);
    SettlementResponse settled = SettlementResponse.voucher("eip155:31337", null, LyingNodeTest.PRICE, state);
    byte[] answer = ANSWER.getBytes();
    Bytes32 responseHash = Bytes32.keccak(mode == Mode.WRONG_RESPONSE_HASH ? "something else".getBytes() : answer);
    InferenceReceipt r = new InferenceReceipt(RequestHash.of("honest", req.path(), 0, body.getBytes()), responseHash,
        LyingNodeTest.PAY_TO, "honest", "bafyplugin", InferenceReceipt.modelSetHash(List.of()),
        Bytes32.keccak("profile".getBytes()), channel, max, LyingNodeTest.PRICE, max, seq.getAndIncrement(),
        System.currentTimeMillis() / 1000);
    SignedReceipt signed = SignedReceipt.sign(r, InferenceReceipt.domain(31337, PrivateKey.random().address()), SIGNER);
    var response = req.response();
    // As the node answers: the receipt in PAYMENT-RESPONSE extensions, its id in a header.
    java.util.Map<String, X402Codec.ExtensionWriter> extensions = switch (mode) {
      case HONEST, WRONG_RESPONSE_HASH, WRONG_ID -> java.util.Map.of("inference-receipt",
          g -> g.writeRawValue(new String(signed.toJsonBytes(), java.nio.charset.StandardCharsets.UTF_8)));
      case GARBLED -> java.util.Map.of("inference-receipt", g -> g.writeRawValue("{\"not\":\"a receipt\"}"));
      case LEGACY_HEADER, NO_RECEIPT -> java.util.Map.of();
    };
    response.putHeader(X402Codec.PAYMENT_RESPONSE_HEADER, X402Codec.encodePaymentResponseHeader(settled, extensions));
    switch (mode) {
      case HONEST, WRONG_RESPONSE_HASH -> response.putHeader("Infergate-Receipt-Id", signed.id());
      case WRONG_ID -> response.putHeader("Infergate-Receipt-Id", Bytes32.keccak("another".getBytes()).toString());
      case LEGACY_HEADER -> response.putHeader("Infergate-Receipt", signed.toHeader());
      case GARBLED, NO_RECEIPT -> { }
    }
    response.end(Buffer.buffer(answer));
  }

  @Test
  void anHonestReceiptIsCheckedAndStoredWithTheCall() throws Exception {
    for (Mode mode : List.of(Mode.HONEST, Mode.LEGACY_HEADER)) {
      honestReceiptIsCheckedAndStored(mode);
    }
  }

  private void honestReceiptIsCheckedAndStored(Mode mode) throws Exception {
    URI url = start(mode);
    try (ChannelStore store = ChannelStore.open(dir.resolve(mode + "-client.db"))) {
      PaidHttpClient client = PaidHttpClient.builder().payer(PrivateKey.random()).store(store).build();
      client.openChannel(client.offer(url));
      for (int i = 0; i < 3; i++) {
        PaidResponse r = client.call(url, "{\"texts\":[\"call " + i + "\"]}");
        assertEquals(200, r.status());
        assertTrue(r.receipt().isPresent(), "the receipt came back");
        assertEquals(Optional.empty(), r.receiptProblem());
        assertEquals(SIGNER.address(), r.receipt().orElseThrow().signer());
      }
      List<StoredCall> calls = store.receipts().all();
      assertEquals(3, calls.size());
      StoredCall last = calls.getLast();
      assertEquals("/v1/services/honest", last.path());
      assertEquals(RequestHash.of("honest", "/v1/services/honest", 0, "{\"texts\":[\"call 2\"]}".getBytes()),
          last.requestHash());
      assertEquals(Bytes32.keccak(ANSWER.getBytes()), last.responseHash());
      assertTrue(ReceiptAudit.of(store).run(Optional.empty()).ok(), ReceiptAudit.of(store).run(Optional.empty()).toText());
    }
  }

  @Test
  void aReceiptThatDoesNotMatchTheCallIsReportedAndKept() throws Exception {
    URI url = start(Mode.WRONG_RESPONSE_HASH);
    try (ChannelStore store = ChannelStore.open(dir.resolve("client.db"))) {
      PaidHttpClient client = PaidHttpClient.builder().payer(PrivateKey.random()).store(store).build();
      client.openChannel(client.offer(url));
      PaidResponse r = client.call(url, "{\"texts\":[\"x\"]}");
      assertEquals(200, r.status(), "the answer is still delivered");
      String problem = r.receiptProblem().orElseThrow();
      assertTrue(problem.contains("responseHash"), problem);
      StoredCall stored = store.receipts().all().getFirst();
      assertEquals(problem, stored.receiptProblem(), "kept with the call, not dropped");
      assertTrue(stored.receipt() != null);
      assertTrue(!ReceiptAudit.of(store).run(Optional.empty()).ok());
    }
  }

  @Test
  void aMissingOrGarbledReceiptIsReportedAndTheAuditFails() throws Exception {
    for (Mode mode : List.of(Mode.NO_RECEIPT, Mode.GARBLED, Mode.WRONG_ID)) {
      URI url = start(mode);
      try (ChannelStore store = ChannelStore.open(dir.resolve(mode + ".db"))) {
        PaidHttpClient client = PaidHttpClient.builder().payer(PrivateKey.random()).store(store).build();
        client.openChannel(client.offer(url));
        PaidResponse r = client.call(url, "{\"texts\":[\"x\"]}");
        assertEquals(200, r.status());
        String problem = r.receiptProblem().orElseThrow();
        assertTrue(mode == Mode.NO_RECEIPT ? problem.contains("no inference receipt") : problem.contains("cannot be read"),
            problem);
        var audit = ReceiptAudit.of(store).run(Optional.empty());
        assertTrue(!audit.ok() && audit.toText().contains("without a receipt"), audit.toText());
      }
    }
  }
}
