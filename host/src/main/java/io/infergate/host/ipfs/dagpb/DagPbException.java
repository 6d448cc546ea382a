package io.infergate.host.ipfs.dagpb;

import io.infergate.host.ipfs.ContentException;

/** Bytes that are not a valid dag-pb node or UnixFS message. */
public final class DagPbException extends ContentException {
  private static final long serialVersionUID = 1L;

  public DagPbException(String message) {
    super(message);
  }
}
