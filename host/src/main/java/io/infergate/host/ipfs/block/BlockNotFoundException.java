package io.infergate.host.ipfs.block;

import io.infergate.host.ipfs.ContentException;
import io.infergate.host.ipfs.cid.Cid;

/** A block the DAG links to is not available from the source that was asked. */
public final class BlockNotFoundException extends ContentException {
  private static final long serialVersionUID = 1L;
  private final transient Cid cid;

  public BlockNotFoundException(Cid cid, String where) {
    super("block " + cid + " is missing from " + where
        + "; fetch the complete DAG (e.g. a CAR with dag-scope=all) or add another source that holds it");
    this.cid = cid;
  }

  public Cid cid() {
    return cid;
  }
}
