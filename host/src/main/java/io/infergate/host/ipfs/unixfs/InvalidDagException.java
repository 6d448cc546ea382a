package io.infergate.host.ipfs.unixfs;

import io.infergate.host.ipfs.ContentException;

/**
 * A DAG that verified block by block but is not a valid UnixFS file, or lies outside {@link DagLimits}:
 * inconsistent sizes, a cycle, too deep, too large, a directory where a file was expected.
 */
public final class InvalidDagException extends ContentException {
  private static final long serialVersionUID = 1L;

  public InvalidDagException(String message) {
    super(message);
  }
}
