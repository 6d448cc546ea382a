package io.infergate.host.errors;

/** The call did not finish within its deadline and was cancelled (HTTP 504). */
public final class DeadlineExceededException extends InfergateException {
  private static final long serialVersionUID = 1L;

  public DeadlineExceededException(String message) {
    super(504, message);
  }

  @Override
  public String reason() {
    return "timeout";
  }
}
