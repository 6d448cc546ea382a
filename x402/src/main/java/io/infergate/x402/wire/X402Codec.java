package io.infergate.x402.wire;

import static io.infergate.x402.wire.JsonFields.address;
import static io.infergate.x402.wire.JsonFields.bytes32;
import static io.infergate.x402.wire.JsonFields.fail;
import static io.infergate.x402.wire.JsonFields.object;
import static io.infergate.x402.wire.JsonFields.optionalObject;
import static io.infergate.x402.wire.JsonFields.optionalString;
import static io.infergate.x402.wire.JsonFields.optionalUint;
import static io.infergate.x402.wire.JsonFields.seconds;
import static io.infergate.x402.wire.JsonFields.string;
import static io.infergate.x402.wire.JsonFields.uint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.wire.SchemePayload.DepositPayload;
import io.infergate.x402.wire.SchemePayload.RefundPayload;
import io.infergate.x402.wire.SchemePayload.VoucherPayload;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads and writes the x402 v2 {@code batch-settlement} messages as JSON trees and as base64 headers (standard
 * alphabet, padded, UTF-8 JSON inside: what {@code @x402/core}'s {@code encodePaymentSignatureHeader} and friends
 * produce). Decoding never trusts the input: size, base64, JSON syntax, duplicate keys, every field's presence,
 * type and range are checked, and failures raise {@link X402FormatException} with the JSON path.
 */
public final class X402Codec {
  public static final String PAYMENT_REQUIRED_HEADER = "PAYMENT-REQUIRED";
  public static final String PAYMENT_SIGNATURE_HEADER = "PAYMENT-SIGNATURE";
  public static final String PAYMENT_RESPONSE_HEADER = "PAYMENT-RESPONSE";
  /** Longest header accepted, in characters; a deposit with a Permit2 authorization is about 3 KiB. */
  public static final int MAX_HEADER_LENGTH = 16 * 1024;

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private X402Codec() {}

  // ---- headers ----

  public static String encodePaymentRequiredHeader(PaymentRequired value) {
    return base64(toJson(value));
  }

  public static PaymentRequired decodePaymentRequiredHeader(String header) {
    return paymentRequiredFromJson(readHeader(header, PAYMENT_REQUIRED_HEADER));
  }

  public static String encodePaymentSignatureHeader(PaymentPayload value) {
    return base64(toJson(value));
  }

  public static PaymentPayload decodePaymentSignatureHeader(String header) {
    return paymentPayloadFromJson(readHeader(header, PAYMENT_SIGNATURE_HEADER));
  }

  public static String encodePaymentResponseHeader(SettlementResponse value) {
    return base64(toJson(value));
  }

  /**
   * Writes one member of {@code PAYMENT-RESPONSE} {@code extensions} straight into the header's JSON: the paid path
   * puts its inference receipt there without building a tree of it first.
   */
  @FunctionalInterface
  public interface ExtensionWriter {
    /** Writes the extension's value (one JSON value) to {@code g}. */
    void write(com.fasterxml.jackson.core.JsonGenerator g) throws IOException;
  }

  /**
   * {@link #encodePaymentResponseHeader(SettlementResponse)} with extension members written by the caller after
   * those of {@code value.extensions()} (whose names must not repeat). The same bytes as building the whole tree
   * and encoding it, in one pass: a paid answer carries a receipt of about 2 KB, and building, walking and copying
   * it as a tree cost more than the rest of the response.
   */
  public static String encodePaymentResponseHeader(SettlementResponse value,
      java.util.Map<String, ExtensionWriter> extensions) {
    ObjectNode base = toJson(value);
    JsonNode treeExtensions = base.remove("extensions");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(4096);
    try (com.fasterxml.jackson.core.JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      for (var it = base.properties().iterator(); it.hasNext(); ) {
        var member = it.next();
        g.writeFieldName(member.getKey());
        g.writeTree(member.getValue());
      }
      if (treeExtensions != null || !extensions.isEmpty()) {
        g.writeObjectFieldStart("extensions");
        if (treeExtensions != null) {
          for (var it = treeExtensions.properties().iterator(); it.hasNext(); ) {
            var member = it.next();
            if (extensions.containsKey(member.getKey())) {
              throw new IllegalArgumentException("extension '" + member.getKey() + "' is given twice");
            }
            g.writeFieldName(member.getKey());
            g.writeTree(member.getValue());
          }
        }
        for (var e : extensions.entrySet()) {
          g.writeFieldName(e.getKey());
          e.getValue().write(g);
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write PAYMENT-RESPONSE to memory", e);
    }
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  public static SettlementResponse decodePaymentResponseHeader(String header) {
    return settlementResponseFromJson(readHeader(header, PAYMENT_RESPONSE_HEADER));
  }

  private static String base64(JsonNode json) {
    try {
      return Base64.getEncoder().encodeToString(MAPPER.writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
  }

  private static JsonNode readHeader(String header, String name) {
    if (header == null || header.isBlank()) {
      throw new X402FormatException(null, name + " header is missing or empty");
    }
    String h = header.strip();
    if (h.length() > MAX_HEADER_LENGTH) {
      throw new X402FormatException(null, name + " header is " + h.length() + " characters, more than the "
          + MAX_HEADER_LENGTH + " accepted");
    }
    byte[] json;
    try {
      json = Base64.getDecoder().decode(h);
    } catch (IllegalArgumentException e) {
      throw new X402FormatException(null, name + " header is not base64 (standard alphabet): " + e.getMessage());
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new X402FormatException(null, name + " header does not hold valid JSON: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new X402FormatException(null, name + " header must hold a JSON object");
    }
    return root;
  }

  /** Parses JSON text (a body rather than a header) with the same checks. */
  public static JsonNode parse(byte[] json) {
    try {
      JsonNode root = MAPPER.readTree(json);
      if (root == null || !root.isObject()) {
        throw new X402FormatException(null, "expected a JSON object");
      }
      return root;
    } catch (IOException e) {
      throw new X402FormatException(null, "invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  // ---- PaymentRequired ----

  public static ObjectNode toJson(PaymentRequired pr) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("x402Version", pr.x402Version());
    if (pr.error() != null) {
      o.put("error", pr.error());
    }
    o.set("resource", toJson(pr.resource()));
    ArrayNode accepts = o.putArray("accepts");
    pr.accepts().forEach(a -> accepts.add(toJson(a)));
    if (pr.extensions() != null) {
      o.set("extensions", pr.extensions());
    }
    return o;
  }

  /** Reads a 402 body; {@code accepts} entries of other schemes are skipped (this host pays only batch-settlement). */
  public static PaymentRequired paymentRequiredFromJson(JsonNode o) {
    int version = version(o, "$");
    JsonNode accepts = JsonFields.required(o, "accepts", "$", null);
    if (!accepts.isArray()) {
      throw fail(null, "$.accepts", "expected an array");
    }
    List<PaymentRequirements> list = new ArrayList<>();
    for (int i = 0; i < accepts.size(); i++) {
      JsonNode a = accepts.get(i);
      if (a.isObject() && PaymentRequirements.BATCH_SETTLEMENT.equals(a.path("scheme").asText())) {
        list.add(requirementsFromJson(a, "$.accepts[" + i + "]"));
      }
    }
    if (list.isEmpty()) {
      throw fail(BatchSettlementError.SCHEME, "$.accepts", "offers no batch-settlement payment");
    }
    return new PaymentRequired(version, optionalString(o, "error", "$", null),
        resourceFromJson(object(o, "resource", "$", null), "$.resource"), list, o.get("extensions"));
  }

  private static int version(JsonNode o, String path) {
    JsonNode v = JsonFields.required(o, "x402Version", path, null);
    if (!v.isInt() || v.intValue() != 2) {
      throw fail(null, path + ".x402Version", "only x402 version 2 is supported, got " + v);
    }
    return 2;
  }

  static ObjectNode toJson(ResourceInfo r) {
    ObjectNode o = MAPPER.createObjectNode().put("url", r.url());
    if (r.description() != null) {
      o.put("description", r.description());
    }
    if (r.mimeType() != null) {
      o.put("mimeType", r.mimeType());
    }
    return o;
  }

  private static ResourceInfo resourceFromJson(JsonNode o, String path) {
    return new ResourceInfo(string(o, "url", path, null), optionalString(o, "description", path, null),
        optionalString(o, "mimeType", path, null));
  }

  // ---- PaymentRequirements ----

  public static ObjectNode toJson(PaymentRequirements r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("scheme", r.scheme()).put("network", r.network()).put("amount", r.amount().toString())
        .put("asset", r.asset().toString()).put("payTo", r.payTo().toString())
        .put("maxTimeoutSeconds", r.maxTimeoutSeconds());
    BatchSettlementExtra x = r.extra();
    ObjectNode e = o.putObject("extra");
    e.put("receiverAuthorizer", x.receiverAuthorizer().toString()).put("withdrawDelay", x.withdrawDelay())
        .put("name", x.name()).put("version", x.version());
    if (x.assetTransferMethod() != null) {
      e.put("assetTransferMethod", x.assetTransferMethod());
    }
    if (x.channelState() != null) {
      e.set("channelState", toJson(x.channelState()));
    }
    if (x.voucherState() != null) {
      e.putObject("voucherState").put("signedMaxClaimable", x.voucherState().signedMaxClaimable().toString())
          .put("signature", x.voucherState().signature());
    }
    x.otherMembers().forEach((k, v) -> e.set(k, v.deepCopy()));
    return o;
  }

  private static final java.util.Set<String> EXTRA_MEMBERS = java.util.Set.of("receiverAuthorizer", "withdrawDelay",
      "name", "version", "assetTransferMethod", "channelState", "voucherState");

  /** The members of {@code o} not named in {@code known}, in order. */
  private static java.util.Map<String, JsonNode> otherMembers(JsonNode o, java.util.Set<String> known) {
    java.util.Map<String, JsonNode> other = new java.util.LinkedHashMap<>();
    o.properties().forEach(e -> {
      if (!known.contains(e.getKey())) {
        other.put(e.getKey(), e.getValue().deepCopy());
      }
    });
    return other;
  }

  public static PaymentRequirements requirementsFromJson(JsonNode o, String path) {
    String scheme = string(o, "scheme", path, BatchSettlementError.SCHEME);
    if (!PaymentRequirements.BATCH_SETTLEMENT.equals(scheme)) {
      throw fail(BatchSettlementError.SCHEME, path + ".scheme", "expected \"batch-settlement\", got \"" + scheme + "\"");
    }
    String network = string(o, "network", path, BatchSettlementError.NETWORK_MISMATCH);
    try {
      PaymentRequirements.parseChainId(network);
    } catch (IllegalArgumentException e) {
      throw fail(BatchSettlementError.NETWORK_MISMATCH, path + ".network", e.getMessage());
    }
    JsonNode x = object(o, "extra", path, BatchSettlementError.MISSING_EIP712_DOMAIN);
    String xp = path + ".extra";
    JsonNode cs = optionalObject(x, "channelState", xp, null);
    JsonNode vs = optionalObject(x, "voucherState", xp, null);
    BatchSettlementExtra extra = new BatchSettlementExtra(
        address(x, "receiverAuthorizer", xp, BatchSettlementError.RECEIVER_AUTHORIZER_MISMATCH),
        seconds(x, "withdrawDelay", xp, 40, BatchSettlementError.WITHDRAW_DELAY_MISMATCH),
        string(x, "name", xp, BatchSettlementError.MISSING_EIP712_DOMAIN),
        string(x, "version", xp, BatchSettlementError.MISSING_EIP712_DOMAIN),
        optionalString(x, "assetTransferMethod", xp, null),
        cs == null ? null : channelStateFromJson(cs, xp + ".channelState"),
        vs == null ? null : new VoucherState(uint(vs, "signedMaxClaimable", xp + ".voucherState", 128, null),
            string(vs, "signature", xp + ".voucherState", null)), otherMembers(x, EXTRA_MEMBERS));
    return new PaymentRequirements(scheme, network, uint(o, "amount", path, 128, null),
        address(o, "asset", path, BatchSettlementError.TOKEN_MISMATCH),
        address(o, "payTo", path, BatchSettlementError.RECEIVER_MISMATCH),
        seconds(o, "maxTimeoutSeconds", path, 32, null), extra);
  }

  // ---- ChannelState ----

  public static ObjectNode toJson(ChannelState s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("channelId", s.channelId().toString()).put("balance", s.balance().toString())
        .put("totalClaimed", s.totalClaimed().toString()).put("withdrawRequestedAt", s.withdrawRequestedAt())
        .put("refundNonce", s.refundNonce().toString());
    if (s.chargedCumulativeAmount() != null) {
      o.put("chargedCumulativeAmount", s.chargedCumulativeAmount().toString());
    }
    return o;
  }

  static ChannelState channelStateFromJson(JsonNode o, String path) {
    return new ChannelState(bytes32(o, "channelId", path, BatchSettlementError.CHANNEL_ID_INVALID),
        uint(o, "balance", path, 128, null), uint(o, "totalClaimed", path, 128, null),
        seconds(o, "withdrawRequestedAt", path, 40, null), uint(o, "refundNonce", path, 256, null),
        optionalUint(o, "chargedCumulativeAmount", path, 128, null));
  }

  // ---- PaymentPayload ----

  public static ObjectNode toJson(PaymentPayload p) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("x402Version", p.x402Version());
    if (p.resource() != null) {
      o.set("resource", toJson(p.resource()));
    }
    o.set("accepted", toJson(p.accepted()));
    o.set("payload", toJson(p.payload()));
    if (p.extensions() != null) {
      o.set("extensions", p.extensions());
    }
    return o;
  }

  public static PaymentPayload paymentPayloadFromJson(JsonNode o) {
    int version = version(o, "$");
    PaymentRequirements accepted = requirementsFromJson(object(o, "accepted", "$", null), "$.accepted");
    SchemePayload payload = schemePayloadFromJson(object(o, "payload", "$", BatchSettlementError.PAYLOAD_TYPE), "$.payload");
    JsonNode resource = optionalObject(o, "resource", "$", null);
    return new PaymentPayload(version, accepted, payload,
        resource == null ? null : resourceFromJson(resource, "$.resource"), o.get("extensions"));
  }

  public static ObjectNode toJson(SchemePayload p) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("type", p.type());
    o.set("channelConfig", toJson(p.channelConfig()));
    o.putObject("voucher").put("channelId", p.voucher().channelId().toString())
        .put("maxClaimableAmount", p.voucher().maxClaimableAmount().toString())
        .put("signature", p.voucher().signature());
    if (p instanceof DepositPayload d) {
      ObjectNode dep = o.putObject("deposit").put("amount", d.deposit().amount().toString());
      ObjectNode auth = dep.putObject("authorization");
      Deposit.Erc3009Authorization a = d.deposit().erc3009Authorization();
      if (a != null) {
        auth.putObject("erc3009Authorization").put("validAfter", a.validAfter().toString())
            .put("validBefore", a.validBefore().toString()).put("salt", a.salt().toString())
            .put("signature", a.signature());
      } else {
        auth.set("permit2Authorization", d.deposit().permit2Authorization());
      }
    } else if (p instanceof RefundPayload r && r.amount() != null) {
      o.put("amount", r.amount().toString());
    }
    return o;
  }

  static SchemePayload schemePayloadFromJson(JsonNode o, String path) {
    String type = string(o, "type", path, BatchSettlementError.PAYLOAD_TYPE);
    BatchSettlementError code = switch (type) {
      case "deposit" -> BatchSettlementError.DEPOSIT_PAYLOAD;
      case "voucher" -> BatchSettlementError.VOUCHER_PAYLOAD;
      case "refund" -> BatchSettlementError.REFUND_PAYLOAD;
      default -> throw fail(BatchSettlementError.PAYLOAD_TYPE, path + ".type",
          "expected \"deposit\", \"voucher\" or \"refund\", got \"" + JsonFields.abbreviate(type) + "\"");
    };
    ChannelConfig config = channelConfigFromJson(object(o, "channelConfig", path, code), path + ".channelConfig", code);
    JsonNode v = object(o, "voucher", path, code);
    String vp = path + ".voucher";
    SignedVoucher voucher = new SignedVoucher(bytes32(v, "channelId", vp, BatchSettlementError.CHANNEL_ID_INVALID),
        uint(v, "maxClaimableAmount", vp, 128, code), string(v, "signature", vp, code));
    return switch (type) {
      case "deposit" -> new DepositPayload(config, voucher, depositFromJson(object(o, "deposit", path, code), path + ".deposit"));
      case "voucher" -> new VoucherPayload(config, voucher);
      default -> {
        BigInteger amount = optionalUint(o, "amount", path, 128, BatchSettlementError.REFUND_AMOUNT_INVALID);
        if (amount != null && amount.signum() == 0) {
          throw fail(BatchSettlementError.REFUND_AMOUNT_INVALID, path + ".amount",
              "a refund amount must be positive; omit it to refund everything unclaimed");
        }
        yield new RefundPayload(config, voucher, amount);
      }
    };
  }

  private static Deposit depositFromJson(JsonNode o, String path) {
    BatchSettlementError code = BatchSettlementError.DEPOSIT_PAYLOAD;
    BigInteger amount = uint(o, "amount", path, 128, code);
    JsonNode auth = object(o, "authorization", path, BatchSettlementError.ERC3009_AUTHORIZATION_REQUIRED);
    JsonNode erc3009 = optionalObject(auth, "erc3009Authorization", path + ".authorization", code);
    JsonNode permit2 = optionalObject(auth, "permit2Authorization", path + ".authorization", code);
    if ((erc3009 == null) == (permit2 == null)) {
      throw fail(BatchSettlementError.ERC3009_AUTHORIZATION_REQUIRED, path + ".authorization",
          "must hold exactly one of erc3009Authorization and permit2Authorization");
    }
    if (erc3009 == null) {
      return new Deposit(amount, null, permit2);
    }
    String ap = path + ".authorization.erc3009Authorization";
    return new Deposit(amount, new Deposit.Erc3009Authorization(uint(erc3009, "validAfter", ap, 256, code),
        uint(erc3009, "validBefore", ap, 256, code), bytes32(erc3009, "salt", ap, code),
        string(erc3009, "signature", ap, code)), null);
  }

  public static ObjectNode toJson(ChannelConfig c) {
    return MAPPER.createObjectNode().put("payer", c.payer().toString())
        .put("payerAuthorizer", c.payerAuthorizer().toString()).put("receiver", c.receiver().toString())
        .put("receiverAuthorizer", c.receiverAuthorizer().toString()).put("token", c.token().toString())
        .put("withdrawDelay", c.withdrawDelay()).put("salt", c.salt().toString());
  }

  static ChannelConfig channelConfigFromJson(JsonNode o, String path, BatchSettlementError code) {
    return new ChannelConfig(address(o, "payer", path, code), address(o, "payerAuthorizer", path, code),
        address(o, "receiver", path, code), address(o, "receiverAuthorizer", path, code),
        address(o, "token", path, code), seconds(o, "withdrawDelay", path, 40, code), bytes32(o, "salt", path, code));
  }

  // ---- SettlementResponse ----

  public static ObjectNode toJson(SettlementResponse r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("success", r.success());
    if (r.errorReason() != null) {
      o.put("errorReason", r.errorReason());
    }
    if (r.errorMessage() != null) {
      o.put("errorMessage", r.errorMessage());
    }
    o.put("transaction", r.transaction()).put("network", r.network());
    if (r.payer() != null) {
      o.put("payer", r.payer());
    }
    if (r.amount() != null) {
      o.put("amount", r.amount());
    }
    if (r.extra() != null) {
      ObjectNode e = o.putObject("extra");
      if (r.extra().chargedAmount() != null) {
        e.put("chargedAmount", r.extra().chargedAmount().toString());
      }
      if (r.extra().channelState() != null) {
        e.set("channelState", toJson(r.extra().channelState()));
      }
      if (r.extra().voucherState() != null) {
        e.putObject("voucherState").put("signedMaxClaimable", r.extra().voucherState().signedMaxClaimable().toString())
            .put("signature", r.extra().voucherState().signature());
      }
    }
    if (r.extensions() != null) {
      o.set("extensions", r.extensions());
    }
    return o;
  }

  public static SettlementResponse settlementResponseFromJson(JsonNode o) {
    JsonNode success = JsonFields.required(o, "success", "$", null);
    if (!success.isBoolean()) {
      throw fail(null, "$.success", "expected true or false");
    }
    JsonNode x = optionalObject(o, "extra", "$", null);
    SettlementResponse.Extra extra = null;
    if (x != null) {
      JsonNode cs = optionalObject(x, "channelState", "$.extra", null);
      JsonNode vs = optionalObject(x, "voucherState", "$.extra", null);
      extra = new SettlementResponse.Extra(optionalUint(x, "chargedAmount", "$.extra", 128, null),
          cs == null ? null : channelStateFromJson(cs, "$.extra.channelState"),
          vs == null ? null : new VoucherState(uint(vs, "signedMaxClaimable", "$.extra.voucherState", 128, null),
              string(vs, "signature", "$.extra.voucherState", null)));
    }
    return new SettlementResponse(success.booleanValue(), optionalString(o, "errorReason", "$", null),
        optionalString(o, "errorMessage", "$", null), string(o, "transaction", "$", null),
        string(o, "network", "$", null), optionalString(o, "payer", "$", null),
        optionalString(o, "amount", "$", null), extra, o.get("extensions"));
  }

  /** Compact JSON text of a tree (bodies, logs). */
  public static String toText(JsonNode json) {
    return new String(base64Free(json), StandardCharsets.UTF_8);
  }

  private static byte[] base64Free(JsonNode json) {
    try {
      return MAPPER.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
  }
}
