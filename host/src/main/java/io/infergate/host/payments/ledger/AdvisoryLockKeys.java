package io.infergate.host.payments.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * PostgreSQL advisory lock keys made from names: the first 8 bytes (big-endian, signed) of the SHA-256 of the name.
 * Advisory locks are per database, not per schema, so callers put the schema in the name; a fixed namespace prefix
 * keeps Infergate's keys away from other applications' (the leader election's and the named locks' are documented in
 * the operator guide).
 */
public final class AdvisoryLockKeys {
  private AdvisoryLockKeys() {}

  /** The 64-bit key of {@code name}. */
  public static long of(String name) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (digest[i] & 0xff);
    }
    return v;
  }
}
