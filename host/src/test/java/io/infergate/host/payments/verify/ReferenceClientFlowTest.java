package io.infergate.host.payments.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.x402.X402Reference;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.wire.BatchSettlementError;
import io.infergate.x402.wire.BatchSettlementExtra;
import io.infergate.x402.wire.ChannelState;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequired;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.ResourceInfo;
import io.infergate.x402.wire.SchemePayload;
import io.infergate.x402.wire.SettlementResponse;
import io.infergate.x402.wire.X402Codec;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stock {@code @x402/evm} batch-settlement client (what {@code @x402/fetch} uses) pays a Java-encoded 402;
 * the Java side decodes its headers, verifies them with {@link VoucherVerifier}, answers with a Java-encoded
 * {@code PAYMENT-RESPONSE} that the client's own hooks consume, and the client's next voucher is accepted.
 * The chain is represented by the balances a deposit would produce (the ledger/watcher tests cover the chain).
 */
class ReferenceClientFlowTest {
  static final Address CONTRACT = Address.parse("0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003");
  static final Address COLLECTOR = Address.parse("0x4020806089470a89826cB9fB1f4059150b550004");
  static final long CHAIN = 31337;
  private static X402Reference js;

  private final PrivateKey receiverAuthorizer = PrivateKey.random();
  private final Address payTo = PrivateKey.random().address();
  private final Address token = PrivateKey.random().address();
  private final BigInteger price = BigInteger.valueOf(1000);
  private final PaymentRequirements offer = PaymentRequirements.batchSettlement(CHAIN, price, token, payTo, 300,
      BatchSettlementExtra.of(receiverAuthorizer.address(), 900, "USD Coin", "2"));
  private final PaymentRequired required = PaymentRequired.of(
      new ResourceInfo("http://127.0.0.1:8080/v1/services/text-embedding", "Sentence embeddings", "application/json"),
      List.of(offer));
  private final VoucherVerifier verifier = new VoucherVerifier(Eip712Domain.batchSettlement(CHAIN, CONTRACT),
      COLLECTOR, Clock.systemUTC());

  @BeforeAll
  static void start() {
    js = X402Reference.start();
  }

  @AfterAll
  static void stop() {
    js.close();
  }

  /** A stock client that allows our (non-default) dev token, as a user of a dev chain must configure it. */
  private static com.fasterxml.jackson.databind.node.ObjectNode newClient(String session, PrivateKey payer) {
    var req = X402Reference.request("client-new").put("session", session).put("privateKey", payer.toHex());
    req.putObject("spendControls").put("allowedAssets", true);
    return req;
  }

  @Test
  void depositThenVouchersFromTheStockClientAreAccepted() {
    PrivateKey payer = PrivateKey.random();
    String session = "flow-" + payer.address();
    js.call(newClient(session, payer));

    // 1. first call: the stock client reads our 402 and answers with an ERC-3009 deposit + voucher
    JsonNode paid = js.call(X402Reference.request("client-pay").put("session", session)
        .put("paymentRequired", X402Codec.encodePaymentRequiredHeader(required)));
    PaymentPayload deposit = X402Codec.decodePaymentSignatureHeader(paid.get("header").asText());
    SchemePayload.DepositPayload dp = assertInstanceOf(SchemePayload.DepositPayload.class, deposit.payload());
    assertEquals(payer.address(), dp.channelConfig().payer());
    assertEquals(payer.address(), dp.channelConfig().payerAuthorizer());
    assertEquals(offer, deposit.accepted(), "accepted echoes our offer exactly");
    assertEquals(price, dp.voucher().maxClaimableAmount());
    BigInteger depositAmount = dp.deposit().amount();
    assertTrue(depositAmount.compareTo(price) >= 0);

    Verdict v = verifier.verify(offer, ChannelView.unknown(dp.channelConfig()), deposit, price);
    Verdict.Accept accept = assertInstanceOf(Verdict.Accept.class, v, () -> v.toString());
    assertEquals(payer.address(), accept.authorizer());
    assertEquals(dp.voucher().channelId(), accept.channelId());

    // 2. the server charged 700 of the 1000 maximum; the deposit landed
    BigInteger charged = BigInteger.valueOf(700);
    ChannelState after = new ChannelState(accept.channelId(), depositAmount, BigInteger.ZERO, 0, BigInteger.ZERO, charged);
    SettlementResponse settled = new SettlementResponse(true, null, null, "0x" + "ab".repeat(32), offer.network(),
        payer.address().toString(), depositAmount.toString(), new SettlementResponse.Extra(charged, after, null), null);
    JsonNode stored = js.call(X402Reference.request("client-result").put("session", session).put("status", 200)
        .put("paymentResponse", X402Codec.encodePaymentResponseHeader(settled))).get("channel");
    assertEquals("700", stored.get("chargedCumulativeAmount").asText(), stored.toString());
    assertEquals(depositAmount.toString(), stored.get("balance").asText());

    // 3. the next call is a plain voucher for 700 + 1000, accepted against the ledger's view
    ChannelView view = new ChannelView(dp.channelConfig(), charged, price, dp.voucher().signature(), depositAmount,
        BigInteger.ZERO, 0, BigInteger.ZERO);
    PaymentPayload second = X402Codec.decodePaymentSignatureHeader(js.call(X402Reference.request("client-pay")
        .put("session", session).put("paymentRequired", X402Codec.encodePaymentRequiredHeader(required))).get("header").asText());
    SchemePayload.VoucherPayload vp = assertInstanceOf(SchemePayload.VoucherPayload.class, second.payload());
    assertEquals(BigInteger.valueOf(1700), vp.voucher().maxClaimableAmount());
    Verdict.Accept a2 = assertInstanceOf(Verdict.Accept.class, verifier.verify(offer, view, second, price));
    assertEquals(BigInteger.valueOf(1700), a2.newMaxClaimable());
    // with a cached authorizer the result is the same
    assertEquals(a2, verifier.verify(offer, view, second, price, a2.authorizer()));

    // 4. the same voucher replayed after it was charged is a cumulative mismatch with corrective state
    ChannelView later = new ChannelView(dp.channelConfig(), BigInteger.valueOf(1700), BigInteger.valueOf(1700),
        vp.voucher().signature(), depositAmount, BigInteger.ZERO, 0, BigInteger.ZERO);
    Verdict.Reject replay = assertInstanceOf(Verdict.Reject.class, verifier.verify(offer, later, second, price));
    assertEquals(BatchSettlementError.CUMULATIVE_AMOUNT_MISMATCH, replay.error());
    assertEquals(BigInteger.valueOf(1700), replay.channelState().chargedCumulativeAmount());
    assertEquals(vp.voucher().signature(), replay.voucherState().signature());

    // the corrective 402 we would send is valid x402 for the reference codec and schema
    PaymentRequired corrective = PaymentRequired.of(required.resource(),
        List.of(offer.withCorrection(replay.channelState(), replay.voucherState()))).withError(replay.error().code());
    JsonNode decoded = js.call(X402Reference.request("decode").put("kind", "PAYMENT-REQUIRED")
        .put("header", X402Codec.encodePaymentRequiredHeader(corrective)));
    assertEquals("invalid_batch_settlement_evm_cumulative_amount_mismatch", decoded.get("error").asText());
    JsonNode cs = decoded.get("accepts").get(0).get("extra").get("channelState");
    assertEquals("1700", cs.get("chargedCumulativeAmount").asText());
    assertEquals(0, cs.get("withdrawRequestedAt").asInt());
    assertTrue(cs.get("withdrawRequestedAt").isNumber() && cs.get("refundNonce").isTextual(), cs.toString());
    assertEquals(corrective, X402Codec.decodePaymentRequiredHeader(X402Codec.encodePaymentRequiredHeader(corrective)));
  }

  @Test
  void aSeparateVoucherSignerIsTheChannelsPayerAuthorizer() {
    PrivateKey payer = PrivateKey.random();
    PrivateKey hot = PrivateKey.random();
    String salt = Bytes32.keccak(payer.address().toBytes()).toString();
    String session = "auth-" + payer.address();
    js.call(newClient(session, payer)
        .put("voucherSignerKey", hot.toHex()).put("salt", salt));
    PaymentPayload deposit = X402Codec.decodePaymentSignatureHeader(js.call(X402Reference.request("client-pay")
        .put("session", session).put("paymentRequired", X402Codec.encodePaymentRequiredHeader(required))).get("header").asText());
    assertEquals(hot.address(), deposit.payload().channelConfig().payerAuthorizer());
    assertEquals(salt, deposit.payload().channelConfig().salt().toString());
    Verdict.Accept a = assertInstanceOf(Verdict.Accept.class,
        verifier.verify(offer, ChannelView.unknown(deposit.payload().channelConfig()), deposit, price));
    assertEquals(hot.address(), a.authorizer());
  }

  @Test
  void ourResponsesAndPayloadsAreValidForTheReferenceCodec() {
    PrivateKey payer = PrivateKey.random();
    String session = "codec-" + payer.address();
    js.call(newClient(session, payer));
    JsonNode paid = js.call(X402Reference.request("client-pay").put("session", session)
        .put("paymentRequired", X402Codec.encodePaymentRequiredHeader(required)));
    PaymentPayload decoded = X402Codec.decodePaymentSignatureHeader(paid.get("header").asText());
    // Java re-encodes; the reference decodes, validates with its zod schema, and sees the same JSON it sent
    JsonNode theirs = js.call(X402Reference.request("decode").put("kind", "PAYMENT-SIGNATURE")
        .put("header", X402Codec.encodePaymentSignatureHeader(decoded)));
    assertEquals(paid.get("payload").get("payload"), theirs.get("payload"));
    assertEquals(decoded, X402Codec.paymentPayloadFromJson(theirs));

    SettlementResponse voucherResponse = SettlementResponse.voucher(offer.network(), payer.address().toString(),
        BigInteger.valueOf(5), new ChannelState(decoded.payload().voucher().channelId(), BigInteger.TEN,
            BigInteger.ONE, 1_770_000_000L, BigInteger.TWO, BigInteger.valueOf(6)));
    JsonNode r = js.call(X402Reference.request("decode").put("kind", "PAYMENT-RESPONSE")
        .put("header", X402Codec.encodePaymentResponseHeader(voucherResponse)));
    assertEquals("", r.get("transaction").asText());
    assertEquals("", r.get("amount").asText());
    assertEquals("5", r.get("extra").get("chargedAmount").asText());
    String back = js.call(X402Reference.request("encode").put("kind", "PAYMENT-RESPONSE").set("value", r)).asText();
    assertEquals(voucherResponse, X402Codec.decodePaymentResponseHeader(back));
    assertNull(voucherResponse.errorReason());
    assertNotNull(X402Codec.decodePaymentRequiredHeader(X402Codec.encodePaymentRequiredHeader(required)));
  }
}
