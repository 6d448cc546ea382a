package io.infergate.host.ipfs.cid;

/** The IPLD codecs a CID may name here: raw bytes and dag-pb (UnixFS). Others are rejected by name. */
public enum Codec {
  /** Opaque bytes: UnixFS raw leaves. */
  RAW(0x55, "raw"),
  /** Protobuf nodes with links: UnixFS file nodes. */
  DAG_PB(0x70, "dag-pb");

  private final int code;
  private final String label;

  Codec(int code, String label) {
    this.code = code;
    this.label = label;
  }

  /** The multicodec code. */
  public int code() {
    return code;
  }

  /** The multicodec table name ({@code raw}, {@code dag-pb}). */
  public String label() {
    return label;
  }

  public static Codec of(long code) {
    if (code == RAW.code) {
      return RAW;
    }
    if (code == DAG_PB.code) {
      return DAG_PB;
    }
    throw new InvalidCidException("unsupported codec 0x" + Long.toHexString(code) + knownName(code)
        + "; this node handles only raw (0x55) and dag-pb (0x70) content, i.e. UnixFS files");
  }

  private static String knownName(long code) {
    return switch ((int) code) {
      case 0x71 -> " (dag-cbor)";
      case 0x0129 -> " (dag-json)";
      case 0x0200 -> " (json)";
      case 0x51 -> " (cbor)";
      case 0x78 -> " (git-raw)";
      case 0x0202 -> " (car)";
      default -> "";
    };
  }
}
