package io.infergate.x402.offerreceipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.X402Reference;
import io.infergate.x402.crypto.PrivateKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Offers and receipts of the x402 offer-receipt extension, verified by {@code @x402/extensions} 2.27.0 itself. */
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

  private static JsonNode verify(String kind, ObjectNode artifact) {
    ObjectNode req = X402Reference.request("offerReceipt").put("kind", kind);
    req.set("artifact", artifact);
    return js.call(req);
  }

  @Test
  void theNpmExtensionRecoversOurSignerFromReceiptsAndOffers() {
    PrivateKey key = PrivateKey.random();
    ObjectNode receipt = OfferReceipt.signReceipt("eip155:31337", "http://127.0.0.1:8080/v1/services/text-embedding",
        "0x857b06519E91e3A54538791bDbb0E22373e36b66", 1_796_000_000L, "", key);
    JsonNode r = verify("receipt", receipt);
    assertEquals(key.address().toChecksumString(), r.path("signer").asText(), r.toString());
    assertEquals(receipt.path("payload").toString(), r.path("payload").toString());

    ObjectNode offer = OfferReceipt.signOffer("http://127.0.0.1:8080/v1/services/text-embedding",
        new OfferReceipt.Terms("batch-settlement", "eip155:31337", "0x5FbDB2315678afecb367f032d93F642f64180aa3",
            "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "10"), 0, 1_796_000_600L, key);
    JsonNode o = verify("offer", offer);
    assertEquals(key.address().toChecksumString(), o.path("signer").asText(), o.toString());

    // A changed payload recovers to someone else.
    ((ObjectNode) receipt.get("payload")).put("payer", "0x0000000000000000000000000000000000000001");
    assertNotEquals(key.address().toChecksumString(), verify("receipt", receipt).path("signer").asText());
  }
}
