package io.infergate.host.ipfs;

/**
 * Base of every failure of the content library: malformed identifiers or containers, blocks that do not
 * hash to their CID, DAGs outside the configured bounds, missing blocks. Each message names what was wrong
 * and, where there is one, what to do. Where a failure reaches HTTP, the gateway maps it to the host's
 * error model ({@code io.infergate.host.errors}).
 */
public class ContentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ContentException(String message) {
    super(message);
  }

  public ContentException(String message, Throwable cause) {
    super(message, cause);
  }
}
