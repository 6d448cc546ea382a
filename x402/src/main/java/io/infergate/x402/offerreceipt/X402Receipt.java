package io.infergate.x402.offerreceipt;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.crypto.Keccak256;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.AbiWord;

/**
 * The standard x402 receipt: the server states that {@code payer} paid for {@code resourceUrl} at
 * {@code issuedAt}. EIP-712 type {@link #TYPE} under the domain {@code "x402 receipt"}. {@code transaction} is
 * empty for a voucher-paid call (nothing moved on chain).
 *
 * @param network CAIP-2 network
 * @param resourceUrl the paid resource's URL
 * @param payer the payer's address
 * @param issuedAt unix seconds
 * @param transaction an on-chain transaction hash, or {@code ""}
 */
public record X402Receipt(String network, String resourceUrl, String payer, long issuedAt, String transaction) {

  public static final String TYPE = "Receipt(uint256 version,string network,string resourceUrl,string payer,"
      + "uint256 issuedAt,string transaction)";
  private static final byte[] TYPEHASH = Keccak256.hash(TYPE);

  /** The EIP-712 digest the server signs. */
  public byte[] digest() {
    byte[] buf = new byte[7 * 32];
    System.arraycopy(TYPEHASH, 0, buf, 0, 32);
    AbiWord.writeUint(OfferReceiptSigning.VERSION, 256, "version", buf, 32);
    X402Offer.string(network, buf, 64);
    X402Offer.string(resourceUrl, buf, 96);
    X402Offer.string(payer, buf, 128);
    AbiWord.writeUint(issuedAt, 256, "issuedAt", buf, 160);
    X402Offer.string(transaction, buf, 192);
    return OfferReceiptSigning.RECEIPT_DOMAIN.digest(Keccak256.hash(buf));
  }

  /** The payload as transmitted. */
  public ObjectNode payload() {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    p.put("version", OfferReceiptSigning.VERSION);
    p.put("network", network);
    p.put("resourceUrl", resourceUrl);
    p.put("payer", payer);
    p.put("issuedAt", issuedAt);
    p.put("transaction", transaction);
    return p;
  }

  /** {@code extensions["offer-receipt"]} of a {@code PAYMENT-RESPONSE}: this receipt signed with {@code key}. */
  public ObjectNode signedExtension(PrivateKey key) {
    ObjectNode ext = JsonNodeFactory.instance.objectNode();
    ObjectNode info = ext.putObject("info");
    info.put("version", OfferReceiptSigning.VERSION);
    info.set("receipt", OfferReceiptSigning.signed(payload(), digest(), key));
    return ext;
  }
}
