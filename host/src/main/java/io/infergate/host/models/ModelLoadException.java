package io.infergate.host.models;

/** A model cannot be found, verified or loaded; the message names the model and what to do. */
public final class ModelLoadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelLoadException(String message) {
    super(message, null, false, false);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
