package io.infergate.host.ipfs.cid;

import io.infergate.host.ipfs.ContentException;

/** A CID, multihash or multibase string that is malformed or uses a code this node does not support. */
public final class InvalidCidException extends ContentException {
  private static final long serialVersionUID = 1L;

  public InvalidCidException(String message) {
    super(message);
  }
}
