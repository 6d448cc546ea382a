package io.infergate.x402.crypto;

import fr.acinq.secp256k1.Secp256k1Exception;

/**
 * ECDSA over secp256k1 the way the EVM uses it, on libsecp256k1 through JNI ({@code fr.acinq.secp256k1}).
 *
 * <p>Design notes. libsecp256k1's {@code sign} returns the 64-byte compact {@code r‖s}, already low-s, but the
 * acinq binding does not expose the recoverable variant, so the recovery id is found by recovering with id 0
 * and comparing with the signer's public key (the key is at hand; the other id is then right, except with
 * probability ~2^-128 where r ≥ n - p, which libsecp256k1 never produces for a fresh nonce in practice and which
 * is caught by the final check). Signing therefore costs one sign plus one recover, unless {@link RecoverableSign}
 * reaches the library's own recoverable sign (Java 22+), which gives the same bytes in one call. Recovery validates the
 * signature completely ({@link Signature}) before the native call, so a malleable or malformed signature never
 * reaches it.
 */
public final class Secp256k1 {
  private static final fr.acinq.secp256k1.Secp256k1 LIB = NativeLoader.load();

  private Secp256k1() {}

  static fr.acinq.secp256k1.Secp256k1 lib() {
    return LIB;
  }

  /**
   * Signs a 32-byte digest (deterministic nonce, RFC 6979).
   *
   * @return {@code r‖s‖v}, low s, {@code v ∈ {27, 28}}
   */
  public static Signature sign(byte[] digest, PrivateKey key) {
    requireDigest(digest);
    if (RecoverableSign.available()) {
      return Signature.trusted(RecoverableSign.sign(digest, key.secret()));
    }
    return signWithTwoCalls(digest, key);
  }

  /** Whether {@link #sign} takes one native call here (Java 22+) rather than sign + recover. */
  public static boolean signsInOneCall() {
    return RecoverableSign.available();
  }

  /** {@link #sign} through acinq's binding: sign, then one recover to learn the recovery id. */
  static Signature signWithTwoCalls(byte[] digest, PrivateKey key) {
    requireDigest(digest);
    byte[] compact = LIB.sign(digest, key.secret());
    // The recovery id is 0 or 1 (2 and 3 need r >= n: probability ~2^-127). One recovery decides it: if id 0 does
    // not give our key, id 1 does. (Checking id 1 as well cost a second recovery, ~35 µs, on half the signatures.)
    byte[] pub0 = LIB.ecdsaRecover(compact, digest, 0);
    int recoveryId = java.util.Arrays.equals(pub0, key.uncompressedPublicKey()) ? 0 : 1;
    byte[] out = java.util.Arrays.copyOf(compact, Signature.LENGTH);
    out[64] = (byte) (27 + recoveryId);
    return Signature.trusted(out);
  }

  /**
   * The address whose key made {@code signature} over {@code digest}.
   *
   * @throws InvalidSignatureException when no key produced it ({@code r} is not a curve point's x-coordinate)
   */
  public static Address recover(byte[] digest, Signature signature) {
    requireDigest(digest);
    byte[] pub;
    try {
      pub = LIB.ecdsaRecover(signature.compact(), digest, signature.recoveryId());
    } catch (Secp256k1Exception e) {
      throw new InvalidSignatureException("signature does not recover to any public key (r is not on the curve)");
    }
    return Address.fromPublicKey(pub);
  }

  /**
   * Parses and recovers a 65-byte {@code r‖s‖v} signature.
   *
   * @throws InvalidSignatureException for any rule of {@link Signature#of(byte[])} or a failed recovery
   */
  public static Address recover(byte[] digest, byte[] signature) {
    return recover(digest, Signature.of(signature));
  }

  /** True when {@code signature} over {@code digest} recovers to {@code expected}; false for any invalid signature. */
  public static boolean verify(byte[] digest, Signature signature, Address expected) {
    try {
      return recover(digest, signature).equals(expected);
    } catch (InvalidSignatureException e) {
      return false;
    }
  }

  private static void requireDigest(byte[] digest) {
    if (digest.length != 32) {
      throw new IllegalArgumentException("ECDSA signs a 32-byte digest, got " + digest.length + " bytes");
    }
  }
}
