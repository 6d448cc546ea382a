package io.infergate.host.inference;

/** ONNX Runtime failed on a run a service asked for (bad inputs from the plugin, or a runtime fault). */
final class ModelRunException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ModelRunException(String message, Throwable cause) {
    super(message, cause);
  }
}
