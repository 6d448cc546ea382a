package io.infergate.host.ipfs.car;

import io.infergate.host.ipfs.ContentException;
import io.infergate.host.ipfs.cid.Cid;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CAR v1 header, {@code {roots: [cid…], version: 1}} in dag-cbor. Encoding is written by hand in
 * dag-cbor's canonical form (map keys sorted by length, then bytes: {@code roots} before {@code version};
 * CIDs as tag 42 over a byte string with a leading 0x00), byte for byte what {@code @ipld/car} writes.
 * Decoding reads any well-formed CBOR with definite lengths, so other keys or orders still parse.
 *
 * @param version the CAR version (only 1 is accepted by the reader)
 * @param roots the root CIDs
 */
public record CarHeader(long version, List<Cid> roots) {
  private static final int CID_TAG = 42;
  private static final int MAX_NESTING = 8;

  public CarHeader {
    roots = List.copyOf(roots);
  }

  public static CarHeader v1(List<Cid> roots) {
    return new CarHeader(1, roots);
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    head(out, 5, 2);
    text(out, "roots");
    head(out, 4, roots.size());
    for (Cid cid : roots) {
      head(out, 6, CID_TAG);
      byte[] b = cid.bytes();
      head(out, 2, b.length + 1);
      out.write(0);
      out.write(b, 0, b.length);
    }
    text(out, "version");
    head(out, 0, version);
    return out.toByteArray();
  }

  private static void text(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    head(out, 3, b.length);
    out.write(b, 0, b.length);
  }

  private static void head(ByteArrayOutputStream out, int major, long n) {
    int m = major << 5;
    if (n < 24) {
      out.write(m | (int) n);
    } else if (n < 0x100) {
      out.write(m | 24);
      out.write((int) n);
    } else if (n < 0x10000) {
      out.write(m | 25);
      out.write((int) (n >>> 8));
      out.write((int) n);
    } else {
      out.write(m | 26);
      for (int shift = 24; shift >= 0; shift -= 8) {
        out.write((int) (n >>> shift));
      }
    }
  }

  /** Decodes a header block; the version is returned as found, for the reader to judge. */
  public static CarHeader decode(byte[] bytes) {
    Cbor cbor = new Cbor(bytes);
    Object value = cbor.value(0);
    if (cbor.pos != bytes.length) {
      throw new CarFormatException("CAR header has " + (bytes.length - cbor.pos) + " bytes after the CBOR map");
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new CarFormatException("CAR header is not a CBOR map");
    }
    if (!(map.get("version") instanceof Long version)) {
      throw new CarFormatException("CAR header has no integer 'version'");
    }
    if (version != 1) {
      return new CarHeader(version, List.of());
    }
    if (!(map.get("roots") instanceof List<?> list)) {
      throw new CarFormatException("CAR v1 header has no 'roots' array");
    }
    List<Cid> roots = new ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof Tagged t) || t.tag != CID_TAG || !(t.value instanceof byte[] b) || b.length < 2 || b[0] != 0) {
        throw new CarFormatException("CAR header root is not a CID (CBOR tag 42 over 0x00-prefixed bytes)");
      }
      try {
        roots.add(Cid.decode(java.util.Arrays.copyOfRange(b, 1, b.length)));
      } catch (ContentException e) {
        throw new CarFormatException("CAR header root is not a usable CID: " + e.getMessage(), e);
      }
    }
    return new CarHeader(version, roots);
  }

  private record Tagged(long tag, Object value) {}

  /** Just enough CBOR for a header: definite lengths, integers, strings, arrays, maps, tags, simple values. */
  private static final class Cbor {
    private final byte[] in;
    private int pos;

    Cbor(byte[] in) {
      this.in = in;
    }

    Object value(int depth) {
      if (depth > MAX_NESTING) {
        throw new CarFormatException("CAR header nests deeper than " + MAX_NESTING);
      }
      int initial = u8();
      int major = initial >>> 5;
      int info = initial & 31;
      if (major == 7) {
        return switch (info) {
          case 20 -> Boolean.FALSE;
          case 21 -> Boolean.TRUE;
          case 22 -> "null";
          default -> throw new CarFormatException("CAR header has an unsupported CBOR simple value/float " + info);
        };
      }
      long n = argument(info);
      return switch (major) {
        case 0 -> n;
        case 1 -> -1 - n;
        case 2 -> bytes(n);
        case 3 -> new String(bytes(n), StandardCharsets.UTF_8);
        case 4 -> {
          List<Object> list = new ArrayList<>();
          for (long i = 0; i < n; i++) {
            list.add(value(depth + 1));
          }
          yield list;
        }
        case 5 -> {
          Map<Object, Object> map = new LinkedHashMap<>();
          for (long i = 0; i < n; i++) {
            Object k = value(depth + 1);
            if (map.put(k, value(depth + 1)) != null) {
              throw new CarFormatException("CAR header has duplicate key " + k);
            }
          }
          yield map;
        }
        default -> new Tagged(n, value(depth + 1));
      };
    }

    private long argument(int info) {
      if (info < 24) {
        return info;
      }
      int len = switch (info) {
        case 24 -> 1;
        case 25 -> 2;
        case 26 -> 4;
        case 27 -> 8;
        default -> throw new CarFormatException("CAR header uses indefinite-length or reserved CBOR item (" + info + ")");
      };
      long n = 0;
      for (int i = 0; i < len; i++) {
        n = (n << 8) | u8();
      }
      if (n < 0) {
        throw new CarFormatException("CAR header integer out of range");
      }
      return n;
    }

    private byte[] bytes(long n) {
      if (n > in.length - pos) {
        throw new CarFormatException("CAR header string runs past the header's end");
      }
      byte[] b = java.util.Arrays.copyOfRange(in, pos, pos + (int) n);
      pos += (int) n;
      return b;
    }

    private int u8() {
      if (pos >= in.length) {
        throw new CarFormatException("CAR header ends inside a CBOR item");
      }
      return in[pos++] & 0xFF;
    }
  }
}
