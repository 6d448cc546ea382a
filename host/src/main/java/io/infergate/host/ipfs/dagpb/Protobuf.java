package io.infergate.host.ipfs.dagpb;

import io.infergate.host.ipfs.cid.InvalidCidException;
import io.infergate.host.ipfs.cid.Varint;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** The protobuf primitives dag-pb and UnixFS need: varint and length-delimited fields, and a strict reader. */
public final class Protobuf {
  public static final int VARINT = 0;
  public static final int LEN = 2;

  private Protobuf() {}

  public static void writeVarintField(ByteArrayOutputStream out, int field, long value) {
    writeVarint(out, ((long) field << 3) | VARINT);
    writeVarint(out, value);
  }

  public static void writeBytesField(ByteArrayOutputStream out, int field, byte[] value) {
    writeVarint(out, ((long) field << 3) | LEN);
    writeVarint(out, value.length);
    out.write(value, 0, value.length);
  }

  public static void writeVarint(ByteArrayOutputStream out, long value) {
    byte[] buf = new byte[Varint.MAX_BYTES];
    out.write(buf, 0, Varint.write(value, buf, 0));
  }

  /** A cursor over one protobuf message. Errors name {@code what} (e.g. "dag-pb node") and the offset. */
  public static final class Reader {
    private final byte[] in;
    private final int end;
    private final String what;
    private int pos;

    public Reader(byte[] in, int offset, int end, String what) {
      this.in = in;
      this.pos = offset;
      this.end = end;
      this.what = what;
    }

    public boolean hasMore() {
      return pos < end;
    }

    public int position() {
      return pos;
    }

    /** Reads a field key; returns {@code field << 3 | wireType}. */
    public int key() {
      long k = varint();
      if (k > Integer.MAX_VALUE || (k >>> 3) == 0) {
        throw fail("invalid field key " + k);
      }
      return (int) k;
    }

    public long varint() {
      try {
        long d = Varint.decode(in, pos, end);
        pos += Varint.length(d);
        return Varint.value(d);
      } catch (InvalidCidException e) {
        throw fail(e.getMessage());
      }
    }

    /** Reads a length-delimited field's bounds: returns the start offset; the end is {@link #position()}. */
    public int lengthDelimited() {
      long len = varint();
      if (len > end - pos) {
        throw fail("length " + len + " runs past the end of the message");
      }
      int start = pos;
      pos += (int) len;
      return start;
    }

    public byte[] bytes() {
      int start = lengthDelimited();
      return Arrays.copyOfRange(in, start, pos);
    }

    /** Skips a field of the given wire type (for messages whose unknown fields are allowed). */
    public void skip(int wireType) {
      switch (wireType) {
        case VARINT -> varint();
        case LEN -> lengthDelimited();
        case 1 -> advance(8);
        case 5 -> advance(4);
        default -> throw fail("unsupported wire type " + wireType);
      }
    }

    private void advance(int n) {
      if (end - pos < n) {
        throw fail("fixed-size field runs past the end");
      }
      pos += n;
    }

    public DagPbException fail(String message) {
      return new DagPbException("invalid " + what + " at byte " + pos + ": " + message);
    }
  }
}
