package io.infergate.host.errors;

/** The request body exceeds the configured limit (HTTP 413). */
public final class PayloadTooLargeException extends InfergateException {
  private static final long serialVersionUID = 1L;

  public PayloadTooLargeException(String message) {
    super(413, message);
  }

  @Override
  public String reason() {
    return "payload_too_large";
  }
}
