package io.infergate.host.config;

/** A configuration value is missing, unknown or invalid; the message names the key and the fix. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
