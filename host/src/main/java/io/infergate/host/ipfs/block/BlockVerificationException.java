package io.infergate.host.ipfs.block;

import io.infergate.host.ipfs.ContentException;
import io.infergate.host.ipfs.cid.Cid;

/** Bytes that were offered as a block do not hash to its CID: the source is broken or lying. */
public final class BlockVerificationException extends ContentException {
  private static final long serialVersionUID = 1L;
  private final transient Cid cid;

  public BlockVerificationException(Cid cid, int length) {
    super("block " + cid + " failed verification: its " + length + " bytes do not hash to the CID;"
        + " the source sent corrupted or substituted data and must not be trusted for this content");
    this.cid = cid;
  }

  public Cid cid() {
    return cid;
  }
}
