package io.infergate.plugin.api;

/**
 * Thrown by a service when a call's input cannot be served; the message goes to the caller (HTTP 400) and
 * must say what is wrong and how to fix it. The call is not charged.
 */
public final class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message, null, false, false);
  }
}
