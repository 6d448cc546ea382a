package io.infergate.host.errors;

/** The model exists but cannot serve yet or any more (HTTP 503). */
public final class ModelNotReadyException extends InfergateException {
  private static final long serialVersionUID = 1L;

  public ModelNotReadyException(String message) {
    super(503, message);
  }

  @Override
  public String reason() {
    return "not_ready";
  }
}
