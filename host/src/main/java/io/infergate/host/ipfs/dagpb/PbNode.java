package io.infergate.host.ipfs.dagpb;

import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.InvalidCidException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A dag-pb node: links then optional data.
 *
 * @param links the links in their stored order
 * @param data the Data field, or {@code null} when absent (different bytes, so a different CID, from empty)
 */
public record PbNode(List<PbLink> links, byte[] data) {
  private static final int DATA = 1;
  private static final int LINKS = 2;

  public PbNode {
    links = List.copyOf(links);
  }

  /** The canonical encoding: every link (Hash, Name, Tsize), then Data. */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + links.size() * 48 + (data == null ? 0 : data.length));
    for (PbLink link : links) {
      Protobuf.writeBytesField(out, LINKS, encodeLink(link));
    }
    if (data != null) {
      Protobuf.writeBytesField(out, DATA, data);
    }
    return out.toByteArray();
  }

  private static byte[] encodeLink(PbLink link) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(48);
    Protobuf.writeBytesField(out, 1, link.cid().bytes());
    if (link.name() != null) {
      Protobuf.writeBytesField(out, 2, link.name().getBytes(StandardCharsets.UTF_8));
    }
    if (link.tsize() >= 0) {
      Protobuf.writeVarintField(out, 3, link.tsize());
    }
    return out.toByteArray();
  }

  /**
   * Decodes strictly, as the dag-pb spec requires: only fields Links (2) then Data (1), Data at most once,
   * link fields Hash (required), Name, Tsize in that order and each at most once.
   *
   * @param maxLinks refuse nodes with more links than this (bounds memory for hostile input)
   */
  public static PbNode decode(byte[] block, int maxLinks) {
    Protobuf.Reader r = new Protobuf.Reader(block, 0, block.length, "dag-pb node");
    List<PbLink> links = new ArrayList<>();
    byte[] data = null;
    while (r.hasMore()) {
      int key = r.key();
      if (key == (LINKS << 3 | Protobuf.LEN)) {
        if (data != null) {
          throw r.fail("a link follows the Data field; canonical dag-pb puts all links first");
        }
        if (links.size() == maxLinks) {
          throw r.fail("more than " + maxLinks + " links; refusing the node (limit maxLinksPerNode)");
        }
        int start = r.lengthDelimited();
        links.add(decodeLink(block, start, r.position()));
      } else if (key == (DATA << 3 | Protobuf.LEN)) {
        if (data != null) {
          throw r.fail("duplicate Data field");
        }
        data = r.bytes();
      } else {
        throw r.fail("unexpected field " + (key >>> 3) + " with wire type " + (key & 7)
            + "; dag-pb nodes have only Links (2) and Data (1)");
      }
    }
    return new PbNode(links, data);
  }

  private static PbLink decodeLink(byte[] in, int offset, int end) {
    Protobuf.Reader r = new Protobuf.Reader(in, offset, end, "dag-pb link");
    Cid cid = null;
    String name = null;
    long tsize = -1;
    int lastField = 0;
    while (r.hasMore()) {
      int key = r.key();
      int field = key >>> 3;
      if (field <= lastField) {
        throw r.fail("field " + field + " out of order or repeated; links hold Hash (1), Name (2), Tsize (3) once each in order");
      }
      lastField = field;
      switch (key) {
        case 1 << 3 | Protobuf.LEN -> {
          int start = r.lengthDelimited();
          try {
            cid = Cid.decode(Arrays.copyOfRange(in, start, r.position()));
          } catch (InvalidCidException e) {
            throw r.fail("link Hash is not a usable CID: " + e.getMessage());
          }
        }
        case 2 << 3 | Protobuf.LEN -> name = new String(r.bytes(), StandardCharsets.UTF_8);
        case 3 << 3 | Protobuf.VARINT -> tsize = r.varint();
        default -> throw r.fail("unexpected field " + field + " with wire type " + (key & 7) + " in a link");
      }
    }
    if (cid == null) {
      throw r.fail("link without a Hash");
    }
    return new PbLink(cid, name, tsize);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PbNode n && links.equals(n.links) && Arrays.equals(data, n.data);
  }

  @Override
  public int hashCode() {
    return links.hashCode() * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "PbNode[" + links.size() + " links, " + (data == null ? "no data" : data.length + " data bytes") + "]";
  }
}
