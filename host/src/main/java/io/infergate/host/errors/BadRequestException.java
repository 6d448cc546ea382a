package io.infergate.host.errors;

/** The request is malformed or does not fit the service's inputs (HTTP 400). */
public final class BadRequestException extends InfergateException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(String message) {
    super(400, message);
  }

  @Override
  public String reason() {
    return "bad_request";
  }
}
