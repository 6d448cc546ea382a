package io.infergate.x402.offerreceipt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.crypto.Keccak256;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.AbiWord;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A signed offer: the server's commitment to the terms of one {@code accepts[]} entry, valid until
 * {@code validUntil} (unix seconds). EIP-712 type {@link #TYPE} under the domain {@code "x402 offer"}.
 *
 * @param resourceUrl the paid resource's URL
 * @param scheme the payment scheme, e.g. {@code batch-settlement}
 * @param network CAIP-2 network
 * @param asset token address as in the requirements
 * @param payTo the payee as in the requirements
 * @param amount the price as a decimal string
 * @param validUntil unix seconds after which the offer lapses
 */
public record X402Offer(String resourceUrl, String scheme, String network, String asset, String payTo,
    String amount, long validUntil) {

  public static final String TYPE = "Offer(uint256 version,string resourceUrl,string scheme,string network,"
      + "string asset,string payTo,string amount,uint256 validUntil)";
  private static final byte[] TYPEHASH = Keccak256.hash(TYPE);

  /** The EIP-712 digest the server signs. */
  public byte[] digest() {
    byte[] buf = new byte[9 * 32];
    System.arraycopy(TYPEHASH, 0, buf, 0, 32);
    AbiWord.writeUint(OfferReceiptSigning.VERSION, 256, "version", buf, 32);
    string(resourceUrl, buf, 64);
    string(scheme, buf, 96);
    string(network, buf, 128);
    string(asset, buf, 160);
    string(payTo, buf, 192);
    string(amount, buf, 224);
    AbiWord.writeUint(validUntil, 256, "validUntil", buf, 256);
    return OfferReceiptSigning.OFFER_DOMAIN.digest(Keccak256.hash(buf));
  }

  /** The payload as transmitted. */
  public ObjectNode payload() {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    p.put("version", OfferReceiptSigning.VERSION);
    p.put("resourceUrl", resourceUrl);
    p.put("scheme", scheme);
    p.put("network", network);
    p.put("asset", asset);
    p.put("payTo", payTo);
    p.put("amount", amount);
    p.put("validUntil", validUntil);
    return p;
  }

  /** The signed offer for {@code accepts[acceptIndex]}. */
  public ObjectNode sign(int acceptIndex, PrivateKey key) {
    ObjectNode o = OfferReceiptSigning.signed(payload(), digest(), key);
    o.put("acceptIndex", acceptIndex);
    return o;
  }

  /** {@code extensions["offer-receipt"]} of a 402 carrying {@code signedOffers}. */
  public static ObjectNode extension(List<ObjectNode> signedOffers) {
    ObjectNode ext = JsonNodeFactory.instance.objectNode();
    ObjectNode info = ext.putObject("info");
    info.put("version", OfferReceiptSigning.VERSION);
    ArrayNode offers = info.putArray("offers");
    signedOffers.forEach(offers::add);
    return ext;
  }

  /** The key under which {@link #extension} goes into {@code extensions}. */
  public static String extensionKey() {
    return OfferReceiptSigning.EXTENSION;
  }

  static void string(String s, byte[] buf, int off) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    Keccak256.hash(b, 0, b.length, buf, off);
  }
}
