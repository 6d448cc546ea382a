package io.infergate.x402.offerreceipt;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.crypto.Signature;
import io.infergate.x402.eip712.Eip712Domain;

/** The parts both artifacts share: the extension key, version, domains and the signed-artifact shape. */
final class OfferReceiptSigning {
  /** The extension's key in {@code extensions}. */
  static final String EXTENSION = "offer-receipt";
  /** The payloads' {@code version} field. */
  static final int VERSION = 1;
  /** The reference implementation fixes {@code chainId} 1 for both domains, whatever the payment network. */
  static final Eip712Domain OFFER_DOMAIN = Eip712Domain.withoutContract("x402 offer", "1", 1);
  static final Eip712Domain RECEIPT_DOMAIN = Eip712Domain.withoutContract("x402 receipt", "1", 1);

  private OfferReceiptSigning() {}

  /** {@code {"format": "eip712", "payload": …, "signature": …}}. */
  static ObjectNode signed(ObjectNode payload, byte[] digest, PrivateKey key) {
    Signature s = Secp256k1.sign(digest, key);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("format", "eip712");
    o.set("payload", payload);
    o.put("signature", s.toHex());
    return o;
  }
}
