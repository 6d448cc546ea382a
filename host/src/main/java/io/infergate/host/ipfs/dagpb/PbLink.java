package io.infergate.host.ipfs.dagpb;

import io.infergate.host.ipfs.cid.Cid;
import java.util.Objects;

/**
 * A dag-pb link. UnixFS file nodes use an empty name and {@code tsize} = the cumulative size of the linked
 * DAG (all its blocks' bytes).
 *
 * @param cid the linked block
 * @param name the link name, or {@code null} when the encoded link has no Name field
 * @param tsize the Tsize field, or -1 when absent
 */
public record PbLink(Cid cid, String name, long tsize) {
  public PbLink {
    Objects.requireNonNull(cid, "cid");
  }

  /** A file-chunk link as importers write it: empty name, cumulative size. */
  public static PbLink unnamed(Cid cid, long tsize) {
    return new PbLink(cid, "", tsize);
  }
}
