package io.infergate.host.ipfs.block;

import io.infergate.host.ipfs.cid.Cid;
import java.util.Objects;

/**
 * A verified block: the bytes hash to the CID. The only ways to make one check it ({@link #verified}) or
 * compute the CID ({@link #of}), so holding a {@code Block} means holding content that was checked.
 * The data array is not copied (blocks are up to megabytes and pass through hot paths); callers must not
 * change it.
 */
public final class Block {
  private final Cid cid;
  private final byte[] data;

  private Block(Cid cid, byte[] data) {
    this.cid = cid;
    this.data = data;
  }

  /** Checks that {@code data} hashes to {@code cid}. */
  public static Block verified(Cid cid, byte[] data) {
    Objects.requireNonNull(cid, "cid");
    if (!cid.verify(data)) {
      throw new BlockVerificationException(cid, data.length);
    }
    return new Block(cid, data);
  }

  /** Computes the CIDv1 of {@code data} under {@code codec}. */
  public static Block of(io.infergate.host.ipfs.cid.Codec codec, byte[] data) {
    return new Block(Cid.compute(codec, data), data);
  }

  public Cid cid() {
    return cid;
  }

  /** The block's bytes; not a copy, do not modify. */
  public byte[] data() {
    return data;
  }

  public int size() {
    return data.length;
  }

  @Override
  public String toString() {
    return "Block[" + cid + ", " + data.length + " bytes]";
  }
}
