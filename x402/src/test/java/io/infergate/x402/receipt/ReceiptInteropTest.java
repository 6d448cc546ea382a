package io.infergate.x402.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.X402Reference;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.Hex;
import io.infergate.x402.crypto.PrivateKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Receipts against an implementation not written here: viem's {@code hashTypedData},
 * {@code recoverTypedDataAddress} and {@code hashStruct} read the served JSON as any EIP-712 wallet would. Also
 * the strict parser (tampering, wrong domain or types) and the Merkle proofs of every tree size up to 33.
 */
class ReceiptInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = System.nanoTime();
  private static final Address ANCHOR = Address.parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  private static X402Reference js;
  private final Random random = new Random(SEED);

  @BeforeAll
  static void start() {
    js = X402Reference.start();
  }

  @AfterAll
  static void stop() {
    js.close();
  }

  private Bytes32 randomHash() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Bytes32.of(b);
  }

  private InferenceReceipt randomReceipt(long seq) {
    byte[] provider = new byte[20];
    random.nextBytes(provider);
    BigInteger charged = BigInteger.valueOf(random.nextInt(1_000_000));
    BigInteger cumulative = charged.add(BigInteger.valueOf(random.nextLong(1L << 40)));
    return new InferenceReceipt(randomHash(), randomHash(), Address.of(provider), "text-embedding",
        "bafybeiaidonm4srbyt7shk2zv6o5vjrfoqlzhds33gsf3ivauvss2ug4ae",
        InferenceReceipt.modelSetHash(List.of("bafkreia", "bafkreib")), randomHash(), randomHash(),
        cumulative.add(BigInteger.TEN.pow(20)), charged, cumulative, seq, 1_796_000_000L + random.nextInt(1000));
  }

  @Test
  void viemRecoversTheSignerAndTheDigestOfTheServedDocument() {
    for (int i = 0; i < 20; i++) {
      PrivateKey key = PrivateKey.random();
      SignedReceipt signed = SignedReceipt.sign(randomReceipt(i), InferenceReceipt.domain(31337, ANCHOR), key);
      ObjectNode req = X402Reference.request("receipt");
      req.set("doc", signed.toJson());
      JsonNode r = js.call(req);
      assertEquals(signed.id(), r.path("digest").asText(), "seed " + SEED);
      assertEquals(key.address().toChecksumString(), r.path("signer").asText(), "seed " + SEED);
      assertEquals(key.address(), signed.signer());
    }
  }

  @Test
  void viemComputesTheSameRequestHash() {
    for (int i = 0; i < 10; i++) {
      byte[] body = new byte[random.nextInt(300)];
      random.nextBytes(body);
      long headerLength = i % 2 == 0 ? 0 : random.nextInt(body.length + 1);
      ObjectNode req = X402Reference.request("requestHash").put("service", "text-embedding")
          .put("path", "/v2/models/text-embedding/infer").put("inferenceHeaderLength", headerLength)
          .put("body", Hex.encode(body));
      assertEquals(js.call(req).asText(), RequestHash.of("text-embedding", "/v2/models/text-embedding/infer",
          headerLength, body).toString(), "seed " + SEED);
    }
  }

  @Test
  void theServedJsonAndTheHeaderParseBackToTheSameReceipt() {
    SignedReceipt signed = SignedReceipt.sign(randomReceipt(7), InferenceReceipt.domain(8453, ANCHOR),
        PrivateKey.random());
    assertEquals(signed, SignedReceipt.fromJson(signed.toJsonBytes()));
    assertEquals(signed, SignedReceipt.fromHeader(signed.toHeader()));
    assertEquals(signed.receipt(), SignedReceipt.fromJson(signed.toJson()).receipt());
  }

  @Test
  void aTamperedFieldChangesTheSignerOrIsRefused() throws Exception {
    PrivateKey key = PrivateKey.random();
    SignedReceipt signed = SignedReceipt.sign(randomReceipt(3), InferenceReceipt.domain(31337, ANCHOR), key);
    ObjectNode doc = signed.toJson();
    // With the id removed, a changed field yields another digest, so the signature recovers to someone else.
    doc.remove("id");
    ((ObjectNode) doc.get("message")).put("chargedAmount", "1");
    SignedReceipt altered = SignedReceipt.fromJson(doc);
    assertNotEquals(key.address(), altered.signer());
    // With the id kept, the parser refuses the mismatch outright.
    ObjectNode withId = signed.toJson();
    ((ObjectNode) withId.get("message")).put("responseHash", randomHash().toString());
    var e = assertThrows(ReceiptFormatException.class, () -> SignedReceipt.fromJson(withId));
    assertTrue(e.getMessage().contains("altered"), e.getMessage());
  }

  @Test
  void anotherDomainOrTypeIsRefusedWithTheReason() {
    SignedReceipt signed = SignedReceipt.sign(randomReceipt(1), InferenceReceipt.domain(31337, ANCHOR),
        PrivateKey.random());
    ObjectNode wrongDomain = signed.toJson();
    ((ObjectNode) wrongDomain.get("domain")).put("name", "x402 receipt");
    assertTrue(assertThrows(ReceiptFormatException.class, () -> SignedReceipt.fromJson(wrongDomain)).getMessage()
        .contains("Infergate Inference Receipt"));
    ObjectNode wrongType = signed.toJson();
    ((ObjectNode) wrongType.get("types").get("InferenceReceipt").get(9)).put("type", "uint256");
    assertTrue(assertThrows(ReceiptFormatException.class, () -> SignedReceipt.fromJson(wrongType)).getMessage()
        .contains("chargedAmount"));
    ObjectNode badSig = signed.toJson();
    badSig.put("signature", "0x1234");
    assertTrue(assertThrows(ReceiptFormatException.class, () -> SignedReceipt.fromJson(badSig)).getMessage()
        .contains("$.signature"));
    assertThrows(ReceiptFormatException.class,
        () -> SignedReceipt.fromJson("not json".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void everyLeafOfEveryTreeSizeProvesToTheRootAndNoOtherDigestDoes() {
    for (int n = 1; n <= 33; n++) {
      List<Bytes32> digests = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        digests.add(randomHash());
      }
      ReceiptMerkleTree tree = ReceiptMerkleTree.of(digests);
      for (int i = 0; i < n; i++) {
        List<Bytes32> proof = tree.proof(i);
        assertEquals(tree.root(), ReceiptMerkleTree.computeRoot(digests.get(i), proof), "n=" + n + " i=" + i);
        assertNotEquals(tree.root(), ReceiptMerkleTree.computeRoot(randomHash(), proof));
        assertTrue(proof.size() <= 6);
      }
    }
    Bytes32 only = randomHash();
    assertEquals(ReceiptMerkleTree.leafOf(only), ReceiptMerkleTree.of(List.of(only)).root());
  }

  @Test
  void twoAnswersToOneRequestUnderOneProfileAreAnEquivocation() {
    PrivateKey key = PrivateKey.random();
    var domain = InferenceReceipt.domain(31337, ANCHOR);
    InferenceReceipt a = randomReceipt(10);
    InferenceReceipt b = new InferenceReceipt(a.requestHash(), randomHash(), a.provider(), a.service(),
        a.pluginCid(), a.modelCid(), a.runtimeProfileHash(), a.channelId(), a.maxClaimableAmount(),
        a.chargedAmount(), a.chargedCumulativeAmount(), 11, a.issuedAt());
    var found = Equivocation.between(SignedReceipt.sign(a, domain, key), SignedReceipt.sign(b, domain, key));
    assertTrue(found.isPresent());
    assertEquals(key.address(), found.get().signer());
    // A different runtime profile may legitimately give other bytes; another signer proves nothing about this one.
    InferenceReceipt otherProfile = new InferenceReceipt(a.requestHash(), randomHash(), a.provider(), a.service(),
        a.pluginCid(), a.modelCid(), randomHash(), a.channelId(), a.maxClaimableAmount(), a.chargedAmount(),
        a.chargedCumulativeAmount(), 12, a.issuedAt());
    assertFalse(Equivocation.between(SignedReceipt.sign(a, domain, key), SignedReceipt.sign(otherProfile, domain, key))
        .isPresent());
    assertFalse(Equivocation.between(SignedReceipt.sign(a, domain, key),
        SignedReceipt.sign(b, domain, PrivateKey.random())).isPresent());
  }
}
