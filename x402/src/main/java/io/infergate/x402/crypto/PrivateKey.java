package io.infergate.x402.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A secp256k1 private key with its public key and address derived once. {@link #toString()} never shows the
 * secret.
 */
public final class PrivateKey {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] secret;
  private final byte[] publicKey;
  private final Address address;

  private PrivateKey(byte[] secret) {
    if (!Secp256k1.lib().secKeyVerify(secret)) {
      throw new IllegalArgumentException("not a valid secp256k1 private key (must be in [1, n-1])");
    }
    this.secret = secret;
    this.publicKey = Secp256k1.lib().pubkeyCreate(secret);
    this.address = Address.fromPublicKey(publicKey);
  }

  /** The key held in {@code secret} (32 bytes), copied. */
  public static PrivateKey of(byte[] secret) {
    if (secret.length != 32) {
      throw new IllegalArgumentException("a private key is 32 bytes, got " + secret.length);
    }
    return new PrivateKey(secret.clone());
  }

  /** Parses {@code 0x} + 64 hex digits. */
  public static PrivateKey parse(String hex) {
    return new PrivateKey(Hex.decode(hex, 32, "private key"));
  }

  /** A fresh random key from {@link SecureRandom}. */
  public static PrivateKey random() {
    byte[] b = new byte[32];
    while (true) {
      RANDOM.nextBytes(b);
      if (Secp256k1.lib().secKeyVerify(b)) {
        return new PrivateKey(b);
      }
    }
  }

  /** The EVM address of this key. */
  public Address address() {
    return address;
  }

  /** The uncompressed public key {@code 0x04‖x‖y} (65 bytes), copied. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  byte[] uncompressedPublicKey() {
    return publicKey;
  }

  /**
   * The secret as {@code 0x} hex, for handing the key to a transaction signer (web3j). Never log it.
   */
  public String exportSecretHex() {
    return Hex.encode(secret);
  }

  byte[] secret() {
    return secret;
  }

  /** The secret as {@code 0x} hex: for dev keys written to {@code node.json} only. */
  public String toHex() {
    return Hex.encode(secret);
  }

  /** Signs a 32-byte digest; see {@link Secp256k1#sign(byte[], PrivateKey)}. */
  public Signature sign(byte[] digest) {
    return Secp256k1.sign(digest, this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrivateKey other && Arrays.equals(secret, other.secret);
  }

  @Override
  public int hashCode() {
    return address.hashCode();
  }

  @Override
  public String toString() {
    return "PrivateKey[" + address + "]";
  }
}
