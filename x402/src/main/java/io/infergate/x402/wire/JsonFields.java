package io.infergate.x402.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import java.math.BigInteger;

/**
 * Reads typed fields out of a JSON tree, failing with the field's JSON path and, when given, the scheme's error
 * code. Liberal where x402 peers differ (a JSON number where a decimal string is usual), strict on values.
 */
final class JsonFields {
  /** 2^256 has 78 decimal digits: longer input cannot be a uint and is refused before any parsing. */
  private static final int MAX_UINT_DIGITS = 78;

  private JsonFields() {}

  static X402FormatException fail(BatchSettlementError code, String path, String what) {
    return new X402FormatException(code, path + ": " + what);
  }

  static JsonNode required(JsonNode parent, String field, String path, BatchSettlementError code) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull() || n.isMissingNode()) {
      throw fail(code, path + "." + field, "missing");
    }
    return n;
  }

  static JsonNode object(JsonNode parent, String field, String path, BatchSettlementError code) {
    JsonNode n = required(parent, field, path, code);
    if (!n.isObject()) {
      throw fail(code, path + "." + field, "expected a JSON object, got " + n.getNodeType().name().toLowerCase());
    }
    return n;
  }

  static JsonNode optionalObject(JsonNode parent, String field, String path, BatchSettlementError code) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw fail(code, path + "." + field, "expected a JSON object, got " + n.getNodeType().name().toLowerCase());
    }
    return n;
  }

  static String string(JsonNode parent, String field, String path, BatchSettlementError code) {
    JsonNode n = required(parent, field, path, code);
    if (!n.isTextual()) {
      throw fail(code, path + "." + field, "expected a string, got " + n.getNodeType().name().toLowerCase());
    }
    return n.textValue();
  }

  static String optionalString(JsonNode parent, String field, String path, BatchSettlementError code) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw fail(code, path + "." + field, "expected a string, got " + n.getNodeType().name().toLowerCase());
    }
    return n.textValue();
  }

  /** A uint of at most {@code bits} bits, as a decimal string (the x402 convention) or an integral JSON number. */
  static BigInteger uint(JsonNode parent, String field, String path, int bits, BatchSettlementError code) {
    return uintValue(required(parent, field, path, code), path + "." + field, bits, code);
  }

  static BigInteger optionalUint(JsonNode parent, String field, String path, int bits, BatchSettlementError code) {
    JsonNode n = parent.get(field);
    return n == null || n.isNull() ? null : uintValue(n, path + "." + field, bits, code);
  }

  static BigInteger uintValue(JsonNode n, String path, int bits, BatchSettlementError code) {
    BigInteger v;
    if (n.isTextual()) {
      String s = n.textValue();
      if (s.isEmpty() || s.length() > MAX_UINT_DIGITS || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw fail(code, path, "expected a non-negative integer as a decimal string, got \"" + abbreviate(s) + "\"");
      }
      v = new BigInteger(s);
    } else if (n.isIntegralNumber()) {
      v = n.bigIntegerValue();
    } else {
      throw fail(code, path, "expected a non-negative integer (decimal string), got " + n.getNodeType().name().toLowerCase()
          + (n.isNumber() ? " " + n.asText() : ""));
    }
    if (v.signum() < 0 || v.bitLength() > bits) {
      throw fail(code, path, "must be a uint" + bits + " (0 to 2^" + bits + "-1), got " + v);
    }
    return v;
  }

  /** A small non-negative integer (seconds, delays): JSON number or decimal string. */
  static long seconds(JsonNode parent, String field, String path, int bits, BatchSettlementError code) {
    return uint(parent, field, path, Math.min(bits, 62), code).longValueExact();
  }

  static Address address(JsonNode parent, String field, String path, BatchSettlementError code) {
    String s = string(parent, field, path, code);
    try {
      return Address.parse(s);
    } catch (IllegalArgumentException e) {
      throw fail(code, path + "." + field, e.getMessage());
    }
  }

  static Bytes32 bytes32(JsonNode parent, String field, String path, BatchSettlementError code) {
    String s = string(parent, field, path, code);
    try {
      return Bytes32.parse(s);
    } catch (IllegalArgumentException e) {
      throw fail(code, path + "." + field, e.getMessage());
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
