package io.infergate.x402.receipt;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.InvalidSignatureException;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.crypto.Signature;
import io.infergate.x402.eip712.Eip712Domain;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Objects;

/**
 * An {@link InferenceReceipt} with its domain and signature, in the form the node serves and any EIP-712 library
 * verifies without knowing Infergate ({@code eth_signTypedData_v4} shape):
 *
 * <pre>{@code
 * {"id": "0x<digest>", "domain": {...}, "types": {"EIP712Domain": [...], "InferenceReceipt": [...]},
 *  "primaryType": "InferenceReceipt", "message": {...}, "signature": "0x<r‖s‖v>"}
 * }</pre>
 *
 * The {@code id} is the receipt's EIP-712 digest (what was signed and what the Merkle leaf commits to). In
 * {@code message}, {@code uint128} amounts are decimal strings, {@code seq} and {@code issuedAt} JSON numbers,
 * hashes {@code 0x}-hex, {@code provider} EIP-55. Members other than these (the node adds {@code runtimeProfile})
 * are ignored when parsing: they are not signed.
 */
public final class SignedReceipt {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final InferenceReceipt receipt;
  private final Eip712Domain domain;
  private final Signature signature;
  private final Bytes32 digest;

  private SignedReceipt(InferenceReceipt receipt, Eip712Domain domain, Signature signature, Bytes32 digest) {
    this.receipt = receipt;
    this.domain = domain;
    this.signature = signature;
    this.digest = digest;
  }

  /** Signs {@code receipt} under {@code domain} with the node's receipt key. */
  public static SignedReceipt sign(InferenceReceipt receipt, Eip712Domain domain, PrivateKey key) {
    Bytes32 digest = receipt.digest(domain);
    return new SignedReceipt(receipt, domain, Secp256k1.sign(digest.toBytes(), key), digest);
  }

  /** A receipt whose parts are already known (read back from storage); the signature is not checked here. */
  public static SignedReceipt of(InferenceReceipt receipt, Eip712Domain domain, Signature signature) {
    return new SignedReceipt(receipt, domain, signature, receipt.digest(domain));
  }

  public InferenceReceipt receipt() {
    return receipt;
  }

  public Eip712Domain domain() {
    return domain;
  }

  public Signature signature() {
    return signature;
  }

  /** The EIP-712 digest. */
  public Bytes32 digest() {
    return digest;
  }

  /** The receipt's id: its digest as {@code 0x}-hex. */
  public String id() {
    return digest.toString();
  }

  /**
   * The address that signed.
   *
   * @throws InvalidSignatureException when the signature recovers to no key
   */
  public Address signer() {
    return Secp256k1.recover(digest.toBytes(), signature);
  }

  /**
   * The served JSON document (see the class comment) as a tree: {@link #toJsonBytes()} parsed, so that the tree and
   * the bytes on the wire cannot differ.
   */
  public ObjectNode toJson() {
    try {
      return (ObjectNode) MAPPER.readTree(toJsonBytes());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read back a receipt just written", e);
    }
  }

  /** The served JSON document as compact UTF-8 bytes, written in one pass (no tree). */
  public byte[] toJsonBytes() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1536);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      writeMembers(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write a receipt to memory", e);
    }
    return out.toByteArray();
  }

  /**
   * Writes the document's members ({@code id}, {@code domain}, {@code types}, {@code primaryType}, {@code message},
   * {@code signature}) into an object the caller has opened, so that a caller may add unsigned members of its own
   * (the node's {@code runtimeProfile}) and close it. The paid path writes receipts this way straight into its
   * {@code PAYMENT-RESPONSE}, without building a tree.
   */
  public void writeMembers(JsonGenerator g) throws IOException {
    g.writeStringField("id", id());
    g.writeObjectFieldStart("domain");
    g.writeStringField("name", domain.name());
    g.writeStringField("version", domain.version());
    g.writeNumberField("chainId", domain.chainId());
    g.writeStringField("verifyingContract", domain.verifyingContract().toChecksumString());
    g.writeEndObject();
    g.writeFieldName("types");
    g.writeRawValue(TYPES_JSON);
    g.writeStringField("primaryType", InferenceReceipt.PRIMARY_TYPE);
    g.writeObjectFieldStart("message");
    InferenceReceipt r = receipt;
    g.writeStringField("requestHash", r.requestHash().toString());
    g.writeStringField("responseHash", r.responseHash().toString());
    g.writeStringField("provider", r.provider().toChecksumString());
    g.writeStringField("service", r.service());
    g.writeStringField("pluginCid", r.pluginCid());
    g.writeStringField("modelCid", r.modelCid().toString());
    g.writeStringField("runtimeProfileHash", r.runtimeProfileHash().toString());
    g.writeStringField("channelId", r.channelId().toString());
    g.writeStringField("maxClaimableAmount", r.maxClaimableAmount().toString());
    g.writeStringField("chargedAmount", r.chargedAmount().toString());
    g.writeStringField("chargedCumulativeAmount", r.chargedCumulativeAmount().toString());
    g.writeNumberField("seq", r.seq());
    g.writeNumberField("issuedAt", r.issuedAt());
    g.writeEndObject();
    g.writeStringField("signature", signature.toHex());
  }

  /** {@code types}: the same for every receipt, so written once. */
  private static final String TYPES_JSON = typesJson();

  private static String typesJson() {
    ObjectNode types = NODES.objectNode();
    ArrayNode dt = types.putArray("EIP712Domain");
    field(dt, "name", "string");
    field(dt, "version", "string");
    field(dt, "chainId", "uint256");
    field(dt, "verifyingContract", "address");
    ArrayNode rt = types.putArray(InferenceReceipt.PRIMARY_TYPE);
    for (String[] f : InferenceReceipt.FIELDS) {
      field(rt, f[0], f[1]);
    }
    return types.toString();
  }

  /** The {@code Infergate-Receipt} header value: base64 of {@link #toJsonBytes()}. */
  public String toHeader() {
    return Base64.getEncoder().encodeToString(toJsonBytes());
  }

  /**
   * Parses a served receipt strictly: the domain must be the receipt domain, {@code types} the receipt type
   * exactly, the {@code id} (when present) the digest of what is signed. The signature's form is checked
   * (65 bytes, low s, v 27/28); whether it recovers to an authorized key is the verifier's question.
   *
   * @throws ReceiptFormatException naming what is wrong
   */
  public static SignedReceipt fromJson(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new ReceiptFormatException("a receipt is a JSON object with domain, types, primaryType, message and"
          + " signature");
    }
    JsonNode d = member(o, "domain", "$");
    String name = text(d, "name", "$.domain");
    String version = text(d, "version", "$.domain");
    if (!InferenceReceipt.DOMAIN_NAME.equals(name) || !InferenceReceipt.DOMAIN_VERSION.equals(version)) {
      throw new ReceiptFormatException("$.domain is '" + name + "' version '" + version + "'; an inference receipt's"
          + " domain is '" + InferenceReceipt.DOMAIN_NAME + "' version '" + InferenceReceipt.DOMAIN_VERSION + "'");
    }
    long chainId = uint(d, "chainId", "$.domain", 64).longValueExact();
    Address anchor = address(d, "verifyingContract", "$.domain");
    if (!InferenceReceipt.PRIMARY_TYPE.equals(text(o, "primaryType", "$"))) {
      throw new ReceiptFormatException("$.primaryType must be '" + InferenceReceipt.PRIMARY_TYPE + "'");
    }
    checkTypes(member(o, "types", "$"));
    JsonNode m = member(o, "message", "$");
    InferenceReceipt r;
    try {
      r = new InferenceReceipt(bytes32(m, "requestHash"), bytes32(m, "responseHash"), address(m, "provider",
          "$.message"), text(m, "service", "$.message"), text(m, "pluginCid", "$.message"), bytes32(m, "modelCid"),
          bytes32(m, "runtimeProfileHash"), bytes32(m, "channelId"), uint(m, "maxClaimableAmount", "$.message", 128),
          uint(m, "chargedAmount", "$.message", 128), uint(m, "chargedCumulativeAmount", "$.message", 128),
          uint(m, "seq", "$.message", 63).longValueExact(), uint(m, "issuedAt", "$.message", 63).longValueExact());
    } catch (IllegalArgumentException e) {
      throw new ReceiptFormatException("$.message: " + e.getMessage());
    }
    Signature sig;
    try {
      sig = Signature.parse(text(o, "signature", "$"));
    } catch (InvalidSignatureException e) {
      throw new ReceiptFormatException("$.signature: " + e.getMessage());
    }
    SignedReceipt parsed = of(r, InferenceReceipt.domain(chainId, anchor), sig);
    JsonNode id = o.get("id");
    if (id != null && !id.isNull() && !parsed.id().equalsIgnoreCase(id.asText())) {
      throw new ReceiptFormatException("$.id is " + id.asText() + " but the receipt's digest is " + parsed.id()
          + "; the receipt was altered after signing, or the id belongs to another receipt");
    }
    return parsed;
  }

  /** Parses receipt JSON text. */
  public static SignedReceipt fromJson(byte[] json) {
    try {
      return fromJson(MAPPER.readTree(json));
    } catch (IOException e) {
      throw new ReceiptFormatException("receipt is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** Parses an {@code Infergate-Receipt} header value (base64 of the JSON). */
  public static SignedReceipt fromHeader(String header) {
    byte[] json;
    try {
      json = Base64.getDecoder().decode(header.trim());
    } catch (IllegalArgumentException e) {
      throw new ReceiptFormatException("Infergate-Receipt header is not base64: " + e.getMessage());
    }
    return fromJson(json);
  }

  private static void checkTypes(JsonNode types) {
    JsonNode rt = member(types, InferenceReceipt.PRIMARY_TYPE, "$.types");
    if (!rt.isArray() || rt.size() != InferenceReceipt.FIELDS.size()) {
      throw new ReceiptFormatException("$.types." + InferenceReceipt.PRIMARY_TYPE + " must list the "
          + InferenceReceipt.FIELDS.size() + " fields of " + InferenceReceipt.TYPE);
    }
    for (int i = 0; i < rt.size(); i++) {
      String[] f = InferenceReceipt.FIELDS.get(i);
      JsonNode got = rt.get(i);
      if (!f[0].equals(got.path("name").asText()) || !f[1].equals(got.path("type").asText())) {
        throw new ReceiptFormatException("$.types." + InferenceReceipt.PRIMARY_TYPE + "[" + i + "] must be {name: "
            + f[0] + ", type: " + f[1] + "}; the receipt type is " + InferenceReceipt.TYPE);
      }
    }
    for (Iterator<String> it = types.fieldNames(); it.hasNext(); ) {
      String t = it.next();
      if (!t.equals("EIP712Domain") && !t.equals(InferenceReceipt.PRIMARY_TYPE)) {
        throw new ReceiptFormatException("$.types has an unexpected type '" + t + "'");
      }
    }
  }

  private static void field(ArrayNode a, String name, String type) {
    a.addObject().put("name", name).put("type", type);
  }

  private static JsonNode member(JsonNode o, String name, String path) {
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      throw new ReceiptFormatException(path + "." + name + " is missing");
    }
    return v;
  }

  private static String text(JsonNode o, String name, String path) {
    JsonNode v = member(o, name, path);
    if (!v.isTextual()) {
      throw new ReceiptFormatException(path + "." + name + " must be a string");
    }
    return v.asText();
  }

  private static Bytes32 bytes32(JsonNode m, String name) {
    try {
      return Bytes32.parse(text(m, name, "$.message"));
    } catch (IllegalArgumentException e) {
      throw new ReceiptFormatException("$.message." + name + ": " + e.getMessage());
    }
  }

  private static Address address(JsonNode o, String name, String path) {
    try {
      return Address.parse(text(o, name, path));
    } catch (IllegalArgumentException e) {
      throw new ReceiptFormatException(path + "." + name + ": " + e.getMessage());
    }
  }

  /** An unsigned integer given as a JSON number or a decimal string. */
  private static BigInteger uint(JsonNode o, String name, String path, int bits) {
    JsonNode v = member(o, name, path);
    BigInteger value;
    if (v.isIntegralNumber()) {
      value = v.bigIntegerValue();
    } else if (v.isTextual() && v.asText().matches("0|[1-9][0-9]{0,77}")) {
      value = new BigInteger(v.asText());
    } else {
      throw new ReceiptFormatException(path + "." + name + " must be an unsigned integer (number or decimal string)");
    }
    if (value.signum() < 0 || value.bitLength() > bits) {
      throw new ReceiptFormatException(path + "." + name + " must fit uint" + bits + ", got " + value);
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedReceipt s && s.digest.equals(digest) && s.signature.equals(signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(digest, signature);
  }

  @Override
  public String toString() {
    return "SignedReceipt[" + id() + ", seq " + receipt.seq() + ", " + receipt.service() + "]";
  }
}
