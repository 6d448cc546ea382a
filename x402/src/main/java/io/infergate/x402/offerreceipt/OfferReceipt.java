package io.infergate.x402.offerreceipt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.crypto.Keccak256;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.eip712.AbiWord;
import io.infergate.x402.eip712.Eip712Domain;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Signs the standard x402 {@code offer-receipt} artifacts in {@code eip712} format: {@code {"format": "eip712",
 * "payload": {...}, "signature": "0x…"}}.
 *
 * <p>The types and domain are those of {@code @x402/extensions} 2.27.0 (the published implementation clients run),
 * which differ from the extension's spec text: the payload carries {@code version} (1), an offer states
 * {@code validUntil} instead of {@code maxTimeoutSeconds}/{@code issuedAt}, {@code payTo} is a {@code string}, and the
 * domain's {@code chainId} is always 1 ({@code EIP712Domain(string name,string version,uint256 chainId)}):
 *
 * <pre>
 * Offer(uint256 version,string resourceUrl,string scheme,string network,string asset,string payTo,string amount,uint256 validUntil)
 * Receipt(uint256 version,string network,string resourceUrl,string payer,uint256 issuedAt,string transaction)
 * </pre>
 */
public final class OfferReceipt {
  /** The extension's key in {@code extensions}. */
  public static final String KEY = "offer-receipt";
  /** The payload schema version. */
  public static final int VERSION = 1;
  static final String OFFER_TYPE = "Offer(uint256 version,string resourceUrl,string scheme,string network,string asset,"
      + "string payTo,string amount,uint256 validUntil)";
  static final String RECEIPT_TYPE = "Receipt(uint256 version,string network,string resourceUrl,string payer,"
      + "uint256 issuedAt,string transaction)";
  private static final Eip712Domain OFFER_DOMAIN = Eip712Domain.withoutContract("x402 offer", "1", 1);
  private static final Eip712Domain RECEIPT_DOMAIN = Eip712Domain.withoutContract("x402 receipt", "1", 1);
  private static final byte[] OFFER_TYPEHASH = Keccak256.hash(OFFER_TYPE);
  private static final byte[] RECEIPT_TYPEHASH = Keccak256.hash(RECEIPT_TYPE);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private OfferReceipt() {}

  /** The terms of one {@code accepts[]} entry an offer commits to. */
  public record Terms(String scheme, String network, String asset, String payTo, String amount) {}

  /** A signed offer for {@code terms} at {@code resourceUrl}, valid until unix second {@code validUntil}. */
  public static ObjectNode signOffer(String resourceUrl, Terms terms, int acceptIndex, long validUntil,
      PrivateKey key) {
    byte[] struct = struct(OFFER_TYPEHASH, List.of(word(VERSION), text(resourceUrl), text(terms.scheme()),
        text(terms.network()), text(terms.asset()), text(terms.payTo()), text(terms.amount()), word(validUntil)));
    ObjectNode o = NODES.objectNode();
    o.put("format", "eip712");
    o.put("acceptIndex", acceptIndex);
    ObjectNode p = o.putObject("payload");
    p.put("version", VERSION);
    p.put("resourceUrl", resourceUrl);
    p.put("scheme", terms.scheme());
    p.put("network", terms.network());
    p.put("asset", terms.asset());
    p.put("payTo", terms.payTo());
    p.put("amount", terms.amount());
    p.put("validUntil", validUntil);
    o.put("signature", Secp256k1.sign(OFFER_DOMAIN.digest(struct), key).toHex());
    return o;
  }

  /**
   * A signed receipt: the node confirms that {@code payer} paid for {@code resourceUrl} on {@code network} and was
   * served; {@code transaction} is {@code ""} (privacy-minimal) or a transaction hash.
   */
  public static ObjectNode signReceipt(String network, String resourceUrl, String payer, long issuedAt,
      String transaction, PrivateKey key) {
    byte[] struct = struct(RECEIPT_TYPEHASH, List.of(word(VERSION), text(network), text(resourceUrl), text(payer),
        word(issuedAt), text(transaction)));
    ObjectNode o = NODES.objectNode();
    o.put("format", "eip712");
    ObjectNode p = o.putObject("payload");
    p.put("version", VERSION);
    p.put("network", network);
    p.put("resourceUrl", resourceUrl);
    p.put("payer", payer);
    p.put("issuedAt", issuedAt);
    p.put("transaction", transaction);
    o.put("signature", Secp256k1.sign(RECEIPT_DOMAIN.digest(struct), key).toHex());
    return o;
  }

  /** {@code {"info": {"offers": [...]}}}: the 402's {@code extensions["offer-receipt"]}. */
  public static ObjectNode offersExtension(List<ObjectNode> offers) {
    ObjectNode e = NODES.objectNode();
    ArrayNode a = e.putObject("info").putArray("offers");
    offers.forEach(a::add);
    return e;
  }

  /** {@code {"info": {"receipt": {...}}}}: {@code PAYMENT-RESPONSE}'s {@code extensions["offer-receipt"]}. */
  public static ObjectNode receiptExtension(ObjectNode receipt) {
    ObjectNode e = NODES.objectNode();
    e.putObject("info").set("receipt", receipt);
    return e;
  }

  private static byte[] struct(byte[] typeHash, List<byte[]> words) {
    byte[] buf = new byte[(words.size() + 1) * 32];
    System.arraycopy(typeHash, 0, buf, 0, 32);
    for (int i = 0; i < words.size(); i++) {
      System.arraycopy(words.get(i), 0, buf, (i + 1) * 32, 32);
    }
    return Keccak256.hash(buf);
  }

  private static byte[] text(String s) {
    return Keccak256.hash(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] word(long v) {
    byte[] w = new byte[32];
    AbiWord.writeUint(BigInteger.valueOf(v), 256, "value", w, 0);
    return w;
  }
}
