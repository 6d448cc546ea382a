package io.infergate.x402.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.ChannelConfig;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Garbled, missing, oversize and out-of-range input to the header codec: each refused with its path and code. */
class X402CodecTest {
  final Address a = PrivateKey.random().address();
  final PaymentRequirements offer = PaymentRequirements.batchSettlement(31337, BigInteger.TEN, a, a, 60,
      BatchSettlementExtra.of(a, 900, "USDC", "2"));
  final ChannelConfig config = new ChannelConfig(a, a, a, a, a, 900, Bytes32.ZERO);
  final PaymentPayload payload = new PaymentPayload(2, offer, new SchemePayload.VoucherPayload(config,
      new SignedVoucher(Bytes32.ZERO, BigInteger.TEN, "0x00")), null, null);

  static String b64(String json) {
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  X402FormatException refused(String header) {
    return assertThrows(X402FormatException.class, () -> X402Codec.decodePaymentSignatureHeader(header));
  }

  X402FormatException refusedAfter(Consumer<ObjectNode> change) {
    ObjectNode json = X402Codec.toJson(payload);
    change.accept(json);
    return refused(b64(X402Codec.toText(json)));
  }

  @Test
  void roundTripsEveryPayloadKind() {
    assertEquals(payload, X402Codec.decodePaymentSignatureHeader(X402Codec.encodePaymentSignatureHeader(payload)));
    PaymentPayload refund = new PaymentPayload(2, offer, new SchemePayload.RefundPayload(config, payload.payload().voucher(),
        BigInteger.ONE), new ResourceInfo("http://x/y", null, null), null);
    assertEquals(refund, X402Codec.decodePaymentSignatureHeader(X402Codec.encodePaymentSignatureHeader(refund)));
  }

  @Test
  void garbledHeadersAreRefusedWithWhatWasWrong() {
    assertTrue(refused(null).getMessage().contains("missing"));
    assertTrue(refused("not base64!").getMessage().contains("not base64"));
    assertTrue(refused(b64("{\"x402Version\": 2,")).getMessage().contains("valid JSON"));
    assertTrue(refused(b64("[1,2]")).getMessage().contains("JSON object"));
    assertTrue(refused("A".repeat(X402Codec.MAX_HEADER_LENGTH + 4)).getMessage().contains("more than"));
    assertTrue(refused(b64("{\"x402Version\":2,\"x402Version\":2}")).getMessage().contains("Duplicate"));
    assertTrue(refusedAfter(j -> j.put("x402Version", 1)).getMessage().contains("version 2"));
  }

  @Test
  void fieldsAreCheckedWithPathAndCode() {
    X402FormatException e = refusedAfter(j -> ((ObjectNode) j.get("payload").get("voucher")).remove("maxClaimableAmount"));
    assertEquals("$.payload.voucher.maxClaimableAmount: missing", e.getMessage());
    assertEquals(BatchSettlementError.VOUCHER_PAYLOAD, e.error().orElseThrow());

    e = refusedAfter(j -> ((ObjectNode) j.get("payload").get("voucher")).put("maxClaimableAmount", BigInteger.ONE.shiftLeft(128).toString()));
    assertTrue(e.getMessage().contains("uint128"), e.getMessage());
    e = refusedAfter(j -> ((ObjectNode) j.get("payload").get("voucher")).put("maxClaimableAmount", "-5"));
    assertTrue(e.getMessage().contains("decimal string"), e.getMessage());
    e = refusedAfter(j -> ((ObjectNode) j.get("payload").get("voucher")).put("maxClaimableAmount", 1.5));
    assertTrue(e.getMessage().contains("non-negative integer"), e.getMessage());

    e = refusedAfter(j -> ((ObjectNode) j.get("payload")).put("type", "claim"));
    assertEquals(BatchSettlementError.PAYLOAD_TYPE, e.error().orElseThrow());
    e = refusedAfter(j -> ((ObjectNode) j.get("payload").get("voucher")).put("channelId", "0x1234"));
    assertEquals(BatchSettlementError.CHANNEL_ID_INVALID, e.error().orElseThrow());
    String bad = a.toChecksumString();
    String flipped = bad.substring(0, 41) + (Character.isUpperCase(bad.charAt(41)) ? Character.toLowerCase(bad.charAt(41)) : Character.toUpperCase(bad.charAt(41)));
    if (!flipped.equals(bad) && !flipped.substring(2).equals(flipped.substring(2).toLowerCase())) {
      e = refusedAfter(j -> ((ObjectNode) j.get("payload").get("channelConfig")).put("payer", flipped));
      assertTrue(e.getMessage().contains("checksum") || e.getMessage().contains("hex"), e.getMessage());
    }
    e = refusedAfter(j -> ((ObjectNode) j.get("accepted")).put("scheme", "exact"));
    assertEquals(BatchSettlementError.SCHEME, e.error().orElseThrow());
    e = refusedAfter(j -> ((ObjectNode) j.get("accepted")).put("network", "solana:mainnet"));
    assertEquals(BatchSettlementError.NETWORK_MISMATCH, e.error().orElseThrow());
    e = refusedAfter(j -> ((ObjectNode) j.get("payload")).put("type", "refund").put("amount", "0"));
    assertEquals(BatchSettlementError.REFUND_AMOUNT_INVALID, e.error().orElseThrow());
    e = refusedAfter(j -> ((ObjectNode) j.get("payload")).put("type", "deposit").putObject("deposit").put("amount", "5").putObject("authorization"));
    assertEquals(BatchSettlementError.ERC3009_AUTHORIZATION_REQUIRED, e.error().orElseThrow());
  }

  @Test
  void liberalWhereItCostsNothing() {
    // amounts as JSON numbers and lower-case addresses are accepted
    ObjectNode json = X402Codec.toJson(payload);
    ((ObjectNode) json.get("payload").get("voucher")).put("maxClaimableAmount", 10);
    ((ObjectNode) json.get("payload").get("channelConfig")).put("payer", a.toLowerHex());
    assertEquals(payload, X402Codec.decodePaymentSignatureHeader(b64(X402Codec.toText(json)) + "\n"));
    assertEquals("invalid_batch_settlement_evm_cumulative_amount_mismatch", BatchSettlementError.CUMULATIVE_AMOUNT_MISMATCH.code());
    assertEquals(BatchSettlementError.EIP6492_FACTORY_NOT_ALLOWED,
        BatchSettlementError.fromCode("invalid_batch_settlement_evm_eip6492_factory_not_allowed").orElseThrow());
  }

  @Test
  void membersOfExtraThisCodeDoesNotKnowAreEchoedUnchanged() {
    // The reference server requires its offer back verbatim in `accepted`, including its `minDeposit` hint.
    ObjectNode json = X402Codec.toJson(offer);
    ((ObjectNode) json.get("extra")).put("minDeposit", "5000").putObject("future").put("x", 1);
    PaymentRequirements parsed = X402Codec.requirementsFromJson(json, "$");
    assertEquals("5000", parsed.extra().otherMembers().get("minDeposit").asText());
    assertEquals(json, X402Codec.toJson(parsed));
    assertEquals(json, X402Codec.toJson(parsed.withCorrection(null, null)));
  }

  @Test
  void extensionsWrittenInOnePassEncodeAsTheirTreeWould() {
    ChannelState state = new ChannelState(Bytes32.keccak("channel".getBytes(StandardCharsets.UTF_8)),
        BigInteger.valueOf(1000), BigInteger.valueOf(30), 0, BigInteger.ZERO, BigInteger.valueOf(40));
    SettlementResponse plain = SettlementResponse.voucher("eip155:31337", a.toChecksumString(), BigInteger.TEN, state);
    ObjectNode tree = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    tree.putObject("early").put("n", 1);
    ObjectNode receipt = tree.objectNode().put("id", "0xabc").put("seq", 7);
    receipt.putArray("list").add("x").add(2);
    ObjectNode all = tree.deepCopy();
    all.set("inference-receipt", receipt);
    all.put("raw", "kept");
    SettlementResponse withTree = new SettlementResponse(true, null, null, "", plain.network(), plain.payer(), "",
        plain.extra(), tree);
    java.util.Map<String, X402Codec.ExtensionWriter> writers = new java.util.LinkedHashMap<>();
    writers.put("inference-receipt", g -> g.writeTree(receipt));
    writers.put("raw", g -> g.writeRawValue("\"kept\""));
    String streamed = X402Codec.encodePaymentResponseHeader(withTree, writers);
    SettlementResponse whole = new SettlementResponse(true, null, null, "", plain.network(), plain.payer(), "",
        plain.extra(), all);
    assertEquals(X402Codec.encodePaymentResponseHeader(whole), streamed, "the same bytes as the tree's encoding");
    assertEquals(whole, X402Codec.decodePaymentResponseHeader(streamed));
    assertEquals(X402Codec.encodePaymentResponseHeader(plain), X402Codec.encodePaymentResponseHeader(plain,
        java.util.Map.of()), "no extensions: no extensions member");
    assertThrows(IllegalArgumentException.class, () -> X402Codec.encodePaymentResponseHeader(withTree,
        java.util.Map.of("early", g -> g.writeNumber(1))), "a name given twice is refused");
  }
}
