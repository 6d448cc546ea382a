package io.infergate.host.config;

/**
 * One documented configuration option.
 *
 * @param name dotted lower-case-dashed key, e.g. {@code inference.timeout-ms}
 * @param defaultValue the value when nothing sets it (may be empty)
 * @param doc one line for the operator reference
 */
public record ConfigKey(String name, String defaultValue, String doc) {

  /** The environment variable that sets this key: {@code inference.timeout-ms} → {@code INFERGATE_INFERENCE_TIMEOUT_MS}. */
  public String environmentVariable() {
    return "INFERGATE_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
