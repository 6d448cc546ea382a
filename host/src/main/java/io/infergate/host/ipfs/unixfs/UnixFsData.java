package io.infergate.host.ipfs.unixfs;

import io.infergate.host.ipfs.dagpb.DagPbException;
import io.infergate.host.ipfs.dagpb.Protobuf;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The UnixFS {@code Data} message (unixfs.proto): {@code Type} (1), {@code Data} (2), {@code filesize} (3),
 * {@code blocksizes} (4, repeated, unpacked as go-ipfs and js-ipfs write it). The directory, sharding and
 * metadata fields (5–8) are read past and never written: files need none.
 *
 * @param type the node type
 * @param data inline file bytes, or {@code null} when absent
 * @param filesize total bytes of the file below this node, or -1 when absent
 * @param blocksizes for each link, the file bytes below it
 */
public record UnixFsData(Type type, byte[] data, long filesize, long[] blocksizes) {

  /** UnixFS node types. Only {@code FILE} and {@code RAW} carry file bytes. */
  public enum Type {
    RAW, DIRECTORY, FILE, METADATA, SYMLINK, HAMT_SHARD;

    static Type of(long code) {
      if (code < 0 || code >= values().length) {
        throw new DagPbException("unknown UnixFS type " + code);
      }
      return values()[(int) code];
    }
  }

  /** A file node that only links to its chunks, as importers write it. */
  public static UnixFsData fileNode(long[] blocksizes) {
    long total = 0;
    for (long b : blocksizes) {
      total += b;
    }
    return new UnixFsData(Type.FILE, null, total, blocksizes);
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + blocksizes.length * 4);
    Protobuf.writeVarintField(out, 1, type.ordinal());
    if (data != null && data.length > 0) {
      Protobuf.writeBytesField(out, 2, data);
    }
    if (filesize >= 0) {
      Protobuf.writeVarintField(out, 3, filesize);
    }
    for (long b : blocksizes) {
      Protobuf.writeVarintField(out, 4, b);
    }
    return out.toByteArray();
  }

  /** Decodes the message; accepts packed and unpacked {@code blocksizes} as protobuf parsers must. */
  public static UnixFsData decode(byte[] bytes, int maxBlocksizes) {
    Protobuf.Reader r = new Protobuf.Reader(bytes, 0, bytes.length, "UnixFS data");
    Type type = null;
    byte[] data = null;
    long filesize = -1;
    long[] sizes = new long[8];
    int n = 0;
    while (r.hasMore()) {
      int key = r.key();
      int field = key >>> 3;
      int wire = key & 7;
      if (field == 1 && wire == Protobuf.VARINT) {
        type = Type.of(r.varint());
      } else if (field == 2 && wire == Protobuf.LEN) {
        data = r.bytes();
      } else if (field == 3 && wire == Protobuf.VARINT) {
        filesize = r.varint();
      } else if (field == 4 && wire == Protobuf.VARINT) {
        sizes = append(sizes, n++, r.varint(), maxBlocksizes, r);
      } else if (field == 4 && wire == Protobuf.LEN) {
        int start = r.lengthDelimited();
        Protobuf.Reader packed = new Protobuf.Reader(bytes, start, r.position(), "UnixFS packed blocksizes");
        while (packed.hasMore()) {
          sizes = append(sizes, n++, packed.varint(), maxBlocksizes, r);
        }
      } else if (field >= 5 && field <= 8) {
        r.skip(wire);
      } else {
        throw r.fail("unexpected field " + field + " with wire type " + wire);
      }
    }
    if (type == null) {
      throw r.fail("required field Type is missing");
    }
    return new UnixFsData(type, data, filesize, Arrays.copyOf(sizes, n));
  }

  private static long[] append(long[] sizes, int index, long value, int max, Protobuf.Reader r) {
    if (index >= max) {
      throw r.fail("more than " + max + " blocksizes");
    }
    long[] out = index < sizes.length ? sizes : Arrays.copyOf(sizes, sizes.length * 2);
    out[index] = value;
    return out;
  }

  /** Length of inline data (0 when absent). */
  public int dataLength() {
    return data == null ? 0 : data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnixFsData d && type == d.type && Arrays.equals(data, d.data) && filesize == d.filesize
        && Arrays.equals(blocksizes, d.blocksizes);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Long.hashCode(filesize) * 17 + Arrays.hashCode(blocksizes);
  }

  @Override
  public String toString() {
    return "UnixFsData[" + type + ", data=" + dataLength() + ", filesize=" + filesize + ", blocksizes="
        + blocksizes.length + "]";
  }
}
