package io.infergate.x402.offerreceipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.X402Reference;
import io.infergate.x402.crypto.Hex;
import io.infergate.x402.crypto.PrivateKey;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signed offers and receipts checked by the extension's reference verifiers in {@code @x402/extensions}. */
class OfferReceiptInteropTest {
  private static X402Reference js;

  @BeforeAll
  static void start() {
    js = X402Reference.start();
  }

  @AfterAll
  static void stop() {
    js.close();
  }

  @Test
  void theReferenceVerifiersRecoverOurKeyFromOffersAndReceipts() {
    PrivateKey key = PrivateKey.random();
    X402Offer offer = new X402Offer("http://127.0.0.1:8080/v2/models/text-embedding/infer", "batch-settlement",
        "eip155:31337", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "1000", 1_796_000_060L);
    X402Receipt receipt = new X402Receipt("eip155:31337", "http://127.0.0.1:8080/v1/services/text-embedding",
        "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", 1_796_000_000L, "");
    ObjectNode ext = X402Offer.extension(List.of(offer.sign(0, key)));
    ObjectNode req = X402Reference.request("offer-receipt");
    req.set("offers", ext.get("info").get("offers"));
    req.set("receipt", receipt.signedExtension(key).get("info").get("receipt"));
    JsonNode r = js.call(req);
    assertEquals(key.address().toChecksumString(), r.get("offers").get(0).get("signer").asText());
    assertEquals(Hex.encode(offer.digest()), r.get("offers").get(0).get("digest").asText());
    assertEquals(key.address().toChecksumString(), r.get("receipt").get("signer").asText());
    assertEquals(Hex.encode(receipt.digest()), r.get("receipt").get("digest").asText());
  }

  @Test
  void aChangedPayloadNoLongerRecoversToTheServer() {
    PrivateKey key = PrivateKey.random();
    X402Receipt receipt = new X402Receipt("eip155:31337", "http://127.0.0.1:8080/v1/services/text-embedding",
        "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", 1_796_000_000L, "");
    ObjectNode signed = (ObjectNode) receipt.signedExtension(key).get("info").get("receipt");
    ((ObjectNode) signed.get("payload")).put("payer", "0x0000000000000000000000000000000000000001");
    ObjectNode req = X402Reference.request("offer-receipt");
    req.set("receipt", signed);
    assertNotEquals(key.address().toChecksumString(), js.call(req).get("receipt").get("signer").asText());
  }
}
