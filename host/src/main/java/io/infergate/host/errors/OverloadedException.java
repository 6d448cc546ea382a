package io.infergate.host.errors;

import java.util.Map;

/** The service's queue is full; the caller should retry after the given delay (HTTP 503 + Retry-After). */
public final class OverloadedException extends InfergateException {
  private static final long serialVersionUID = 1L;
  private final int retryAfterSeconds;

  public OverloadedException(String message, int retryAfterSeconds) {
    super(503, message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  @Override
  public Map<String, String> headers() {
    return Map.of("Retry-After", Integer.toString(retryAfterSeconds));
  }

  @Override
  public String reason() {
    return "overloaded";
  }
}
