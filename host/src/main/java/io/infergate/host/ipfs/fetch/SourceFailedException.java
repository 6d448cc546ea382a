package io.infergate.host.ipfs.fetch;

import io.infergate.host.ipfs.ContentException;

/** A source answered, but not with what a trustless source must send (HTML, wrong status, wrong type). */
public final class SourceFailedException extends ContentException {
  private static final long serialVersionUID = 1L;
  private final boolean untrustworthy;

  public SourceFailedException(String message, boolean untrustworthy) {
    super(message);
    this.untrustworthy = untrustworthy;
  }

  /** True when the answer shows the source cannot serve verifiable content at all (mark it bad). */
  public boolean untrustworthy() {
    return untrustworthy;
  }
}
