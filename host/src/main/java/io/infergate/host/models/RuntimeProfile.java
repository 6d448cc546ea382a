package io.infergate.host.models;

import io.infergate.x402.crypto.Bytes32;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What pins ONNX Runtime's output bytes on this node, as a canonical JSON object: members sorted by name, string
 * values, no whitespace. ORT's floating-point results depend on the kernels it picks, and those depend on its
 * version, the execution provider and device, the thread counts (reduction order), the graph optimisation level
 * and execution mode (fusions), and the CPU's instruction set (AVX-512, AVX2, AVX and SSE kernels round
 * differently); the host's own float formatting depends on the Java feature release. Under one profile the same
 * request gives the same bytes; across profiles it may not. A receipt signs {@link #hash()}, the keccak256 of
 * {@link #canonicalJson()}.
 */
public final class RuntimeProfile {
  private final Map<String, String> values;
  private final String json;
  private final Bytes32 hash;

  private RuntimeProfile(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, String> e : this.values.entrySet()) {
      if (b.length() > 1) {
        b.append(',');
      }
      quote(b, e.getKey());
      b.append(':');
      quote(b, e.getValue());
    }
    this.json = b.append('}').toString();
    this.hash = Bytes32.keccak(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A profile of these settings (names and values are any strings; order does not matter). */
  public static RuntimeProfile of(Map<String, String> values) {
    return new RuntimeProfile(values);
  }

  /** The settings, sorted by name. */
  public Map<String, String> values() {
    return values;
  }

  /** The canonical JSON text: sorted members, string values, no whitespace, UTF-8 when hashed. */
  public String canonicalJson() {
    return json;
  }

  /** {@code keccak256(canonicalJson())}: a receipt's {@code runtimeProfileHash}. */
  public Bytes32 hash() {
    return hash;
  }

  /** JSON string escaping as RFC 8259 requires (quote, backslash, control characters), nothing more. */
  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RuntimeProfile p && p.json.equals(json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return json;
  }
}
