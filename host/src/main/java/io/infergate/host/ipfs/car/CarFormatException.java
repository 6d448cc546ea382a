package io.infergate.host.ipfs.car;

import io.infergate.host.ipfs.ContentException;

/** A CAR stream that is malformed, truncated, of an unsupported version, too large or not for the expected root. */
public final class CarFormatException extends ContentException {
  private static final long serialVersionUID = 1L;

  public CarFormatException(String message) {
    super(message);
  }

  public CarFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
