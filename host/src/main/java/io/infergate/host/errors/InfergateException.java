package io.infergate.host.errors;

import java.util.Map;

/**
 * An expected failure with its HTTP status. Subclasses name the kind of failure; the message goes to the
 * caller as {@code {"error": message}} and must say what was wrong and what to do.
 */
public abstract class InfergateException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  protected InfergateException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  protected InfergateException(int status, String message, Throwable cause) {
    super(message, cause, false, false);
    this.status = status;
  }

  /** The HTTP status this failure maps to. */
  public int status() {
    return status;
  }

  /** Extra response headers (e.g. {@code Retry-After}); none by default. */
  public Map<String, String> headers() {
    return Map.of();
  }

  /**
   * A machine-readable code sent beside the message as {@code "code"} (e.g. {@code receipt_not_anchored}); null
   * (the default) sends the message alone.
   */
  public String code() {
    return null;
  }

  /** A short machine-readable reason, used as a metric tag. */
  public abstract String reason();
}
