package io.infergate.host.errors;

/** The service's code or its model failed while serving a valid request (HTTP 500). */
public final class ServiceFailedException extends InfergateException {
  private static final long serialVersionUID = 1L;

  public ServiceFailedException(String message, Throwable cause) {
    super(500, message, cause);
  }

  @Override
  public String reason() {
    return "service_failed";
  }
}
