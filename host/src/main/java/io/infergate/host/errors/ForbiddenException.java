package io.infergate.host.errors;

/** The caller may not use this route (HTTP 403); the message says who may. */
public final class ForbiddenException extends InfergateException {
  private static final long serialVersionUID = 1L;

  public ForbiddenException(String message) {
    super(403, message);
  }

  @Override
  public String reason() {
    return "forbidden";
  }
}
