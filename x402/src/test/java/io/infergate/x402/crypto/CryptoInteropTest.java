package io.infergate.x402.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.x402.X402Reference;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keccak, EIP-55 and secp256k1 against viem (the library the x402 reference client signs with). */
class CryptoInteropTest {
  private static final long SEED = System.nanoTime();
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

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @Test
  void keccakMatchesViemOnRandomInputsOfEveryRateBoundary() {
    for (int len : new int[] {0, 1, 31, 32, 33, 135, 136, 137, 271, 272, 1000}) {
      byte[] input = randomBytes(len);
      String expected = js.call(X402Reference.request("keccak").put("hex", Hex.encode(input))).asText();
      assertEquals(expected, Hex.encode(Keccak256.hash(input)), "length " + len + ", seed " + SEED);
    }
  }

  @Test
  void keccakOfEmptyInputIsThePublishedConstant() {
    // KEC(()) — the empty-code hash of the Ethereum Yellow Paper (EIP-1052 quotes it as the codehash of an account without code).
    assertEquals("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Hex.encode(Keccak256.hash(new byte[0])));
  }

  @Test
  void eip55ChecksumsMatchTheSpecVectorsAndViem() {
    // Test vectors published in EIP-55 ("Test Cases"): all caps, all lower, and normal mixed case.
    String[] vectors = {
        "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"};
    for (int i = 4; i < vectors.length; i++) {
      assertEquals(vectors[i], Address.parse(vectors[i].toLowerCase()).toChecksumString());
    }
    for (String v : vectors) {
      Address.parse(v); // each is valid as written
    }
    var req = X402Reference.request("checksum");
    var list = req.putArray("addresses");
    Address[] random20 = new Address[20];
    for (int i = 0; i < random20.length; i++) {
      random20[i] = Address.of(randomBytes(20));
      list.add(random20[i].toLowerHex());
    }
    JsonNode viem = js.call(req);
    for (int i = 0; i < random20.length; i++) {
      assertEquals(viem.get(i).asText(), random20[i].toChecksumString(), "seed " + SEED);
    }
  }

  @Test
  void addressParsingIsStrict() {
    var e = assertThrows(IllegalArgumentException.class, () -> Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
    assertTrue(e.getMessage().contains("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Address.parse("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
    assertThrows(IllegalArgumentException.class, () -> Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA"));
    assertThrows(IllegalArgumentException.class, () -> Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg"));
    assertThrows(IllegalArgumentException.class, () -> Address.parse(null));
  }

  @Test
  void parsedAddressesAreRememberedButABadChecksumIsRefusedEveryTime() {
    String good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    String typo = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";
    for (int i = 0; i < 3; i++) {
      Address a = Address.parse(good);
      assertEquals(good, a.toChecksumString());
      assertEquals(Address.parse(good.toLowerCase()), a);
      assertThrows(IllegalArgumentException.class, () -> Address.parse(typo), "refused on parse " + i);
    }
    // More distinct addresses than the map keeps: it starts over, and every answer stays right.
    for (int i = 0; i < 5000; i++) {
      Address a = Address.of(randomBytes(20));
      assertEquals(a, Address.parse(a.toChecksumString()));
      assertEquals(a, Address.parse(a.toLowerHex()));
    }
    assertEquals(good, Address.parse(good).toChecksumString());
  }

  @Test
  void javaSignaturesRecoverInViemAndViemSignaturesRecoverInJava() {
    for (int i = 0; i < 25; i++) {
      PrivateKey key = PrivateKey.random();
      byte[] digest = randomBytes(32);
      Signature sig = Secp256k1.sign(digest, key);
      assertTrue(sig.v() == 27 || sig.v() == 28);
      String recovered = js.call(X402Reference.request("recover").put("digest", Hex.encode(digest))
          .put("signature", sig.toHex())).asText();
      assertEquals(key.address().toChecksumString(), recovered, "seed " + SEED);

      JsonNode theirs = js.call(X402Reference.request("sign-digest").put("privateKey", key.toHex())
          .put("digest", Hex.encode(digest)));
      assertEquals(theirs.get("address").asText(), key.address().toChecksumString());
      assertEquals(key.address(), Secp256k1.recover(digest, Signature.parse(theirs.get("signature").asText())));
      // RFC 6979 on both sides: the same deterministic signature
      assertEquals(theirs.get("signature").asText(), sig.toHex());
    }
  }

  @Test
  void recoveryRejectsMalleableAndMalformedSignaturesWithPreciseMessages() {
    PrivateKey key = PrivateKey.random();
    byte[] digest = randomBytes(32);
    byte[] good = Secp256k1.sign(digest, key).toBytes();

    // The high-s twin (n - s, v flipped) is a valid ECDSA signature for the same key; the EVM's ECDSA rejects it.
    byte[] twin = good.clone();
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(good, 32, 64));
    byte[] highS = new BigInteger(1, Signature.N).subtract(s).toByteArray();
    java.util.Arrays.fill(twin, 32, 64, (byte) 0);
    System.arraycopy(highS, Math.max(0, highS.length - 32), twin, 64 - Math.min(32, highS.length), Math.min(32, highS.length));
    twin[64] = (byte) (good[64] == 27 ? 28 : 27);
    String viemView = js.call(X402Reference.request("recover").put("digest", Hex.encode(digest))
        .put("signature", Hex.encode(twin))).asText();
    assertEquals(key.address().toChecksumString(), viemView, "viem accepts the twin; we must not");
    assertMessage("high s", () -> Secp256k1.recover(digest, twin));

    byte[] v0 = good.clone();
    v0[64] = (byte) (good[64] - 27);
    assertMessage("v must be 27 or 28, got " + (good[64] - 27), () -> Secp256k1.recover(digest, v0));
    byte[] v29 = good.clone();
    v29[64] = 29;
    assertMessage("v must be 27 or 28, got 29", () -> Secp256k1.recover(digest, v29));
    assertMessage("65 bytes", () -> Secp256k1.recover(digest, java.util.Arrays.copyOf(good, 64)));
    assertMessage("65 bytes", () -> Signature.parse(Hex.encode(good) + "00"));
    byte[] r0 = good.clone();
    java.util.Arrays.fill(r0, 0, 32, (byte) 0);
    assertMessage("r must be in [1, n-1]", () -> Secp256k1.recover(digest, r0));
    byte[] rN = good.clone();
    System.arraycopy(Signature.N, 0, rN, 0, 32);
    assertMessage("r must be in [1, n-1]", () -> Secp256k1.recover(digest, rN));
    byte[] s0 = good.clone();
    java.util.Arrays.fill(s0, 32, 64, (byte) 0);
    assertMessage("s must not be zero", () -> Secp256k1.recover(digest, s0));
    assertMessage("not a hex digit", () -> Signature.parse("0x" + "zz".repeat(65)));
    assertThrows(IllegalArgumentException.class, () -> Secp256k1.recover(new byte[31], Signature.of(good)));

    // A wrong digest recovers to some other address; verify says false, never throws.
    byte[] other = digest.clone();
    other[0] ^= 1;
    assertFalse(Secp256k1.verify(other, Signature.of(good), key.address()));
    assertTrue(Secp256k1.verify(digest, Signature.of(good), key.address()));
  }

  @Test
  void privateKeyDerivesTheSameAddressAsViem() {
    for (int i = 0; i < 5; i++) {
      PrivateKey key = PrivateKey.random();
      JsonNode theirs = js.call(X402Reference.request("client-new").put("session", "k" + i).put("privateKey", key.toHex()));
      assertEquals(theirs.get("address").asText(), key.address().toChecksumString());
      assertFalse(key.toString().contains(key.toHex().substring(2)), "toString must not leak the secret");
    }
    assertThrows(IllegalArgumentException.class, () -> PrivateKey.of(new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> PrivateKey.parse("0x" + "ff".repeat(32)));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
    InvalidSignatureException ex = assertThrows(InvalidSignatureException.class, e);
    assertTrue(ex.getMessage().contains(part), "expected '" + part + "' in: " + ex.getMessage());
  }
}
