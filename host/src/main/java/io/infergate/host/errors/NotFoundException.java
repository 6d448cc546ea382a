package io.infergate.host.errors;

/** No such model, service or resource (HTTP 404). */
public final class NotFoundException extends InfergateException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(404, message);
  }

  @Override
  public String reason() {
    return "not_found";
  }
}
