package io.infergate.host.ipfs.fetch;

import io.infergate.host.ipfs.ContentException;

/** A source answered, but not with what a trustless source must send (HTML, wrong status, wrong type). */
public final class SourceFailedException extends ContentException {
  private static final long serialVersionUID = 1L;
  private final boolean untrustworthy;
  private final boolean timedOut;

  public SourceFailedException(String message, boolean untrustworthy) {
    this(message, untrustworthy, false);
  }

  private SourceFailedException(String message, boolean untrustworthy, boolean timedOut) {
    super(message);
    this.untrustworthy = untrustworthy;
    this.timedOut = timedOut;
  }

  /** The source did not finish within its deadline; not held against it. */
  public static SourceFailedException timeout(String message) {
    return new SourceFailedException(message, false, true);
  }

  public boolean timedOut() {
    return timedOut;
  }

  /** True when the answer shows the source cannot serve verifiable content at all (mark it bad). */
  public boolean untrustworthy() {
    return untrustworthy;
  }
}
