package io.infergate.host.payments.ledger;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation and canonical forms of the values the ledger stores (lower-case hex, unsigned integers). */
final class LedgerValues {
  static final BigInteger UINT128_LIMIT = BigInteger.ONE.shiftLeft(128);
  static final BigInteger UINT256_LIMIT = BigInteger.ONE.shiftLeft(256);
  private static final Pattern BYTES32 = Pattern.compile("0x[0-9a-f]{64}");
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]{40}");

  private LedgerValues() {}

  /** A bytes32 as {@code 0x} + 64 lower-case hex digits. */
  static String bytes32(String what, String hex) {
    String canonical = lower(what, hex);
    if (!BYTES32.matcher(canonical).matches()) {
      throw new IllegalArgumentException(what + " must be 0x followed by 64 hex digits, got: " + hex);
    }
    return canonical;
  }

  /** An address as {@code 0x} + 40 lower-case hex digits (checksums are the verifier's business). */
  static String address(String what, String hex) {
    String canonical = lower(what, hex);
    if (!ADDRESS.matcher(canonical).matches()) {
      throw new IllegalArgumentException(what + " must be 0x followed by 40 hex digits, got: " + hex);
    }
    return canonical;
  }

  static BigInteger uint128(String what, BigInteger value) {
    return unsigned(what, value, UINT128_LIMIT, "uint128");
  }

  static BigInteger uint256(String what, BigInteger value) {
    return unsigned(what, value, UINT256_LIMIT, "uint256");
  }

  private static BigInteger unsigned(String what, BigInteger value, BigInteger limit, String type) {
    if (value == null || value.signum() < 0 || value.compareTo(limit) >= 0) {
      throw new IllegalArgumentException(what + " must be a " + type + ", got: " + value);
    }
    return value;
  }

  private static String lower(String what, String hex) {
    if (hex == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    return hex.toLowerCase(Locale.ROOT);
  }
}
