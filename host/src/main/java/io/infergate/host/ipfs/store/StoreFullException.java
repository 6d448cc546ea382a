package io.infergate.host.ipfs.store;

import io.infergate.host.ipfs.ContentException;

/** Adding content would exceed the store's size budget even after garbage collection, or the disk is full. */
public final class StoreFullException extends ContentException {
  private static final long serialVersionUID = 1L;

  public StoreFullException(String message) {
    super(message);
  }

  public StoreFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
