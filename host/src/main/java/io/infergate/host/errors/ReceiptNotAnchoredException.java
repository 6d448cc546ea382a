package io.infergate.host.errors;

import java.util.Map;

/**
 * The receipt exists but its Merkle root is not on chain yet, so no proof can be served (HTTP 409 + Retry-After).
 */
public final class ReceiptNotAnchoredException extends InfergateException {
  private static final long serialVersionUID = 1L;
  private final long retryAfterSeconds;

  public ReceiptNotAnchoredException(String message, long retryAfterSeconds) {
    super(409, message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  @Override
  public Map<String, String> headers() {
    return Map.of("Retry-After", Long.toString(retryAfterSeconds));
  }

  @Override
  public String reason() {
    return "receipt_not_anchored";
  }

  @Override
  public String code() {
    return "receipt_not_anchored";
  }
}
