package io.infergate.host.ipfs.cid;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A multihash {@code <varint code><varint length><digest>}, restricted to sha2-256 (code 0x12, 32 bytes):
 * the only function UnixFS content uses by default, and the only one the node verifies. Others are rejected
 * by name when parsed, because a CID whose hash cannot be checked cannot be trusted.
 */
public final class Multihash {
  /** The multicodec code of sha2-256. */
  public static final int SHA2_256 = 0x12;
  /** Digest length of sha2-256. */
  public static final int SHA2_256_LENGTH = 32;

  private final byte[] digest;

  private Multihash(byte[] digest) {
    this.digest = digest;
  }

  /** The sha2-256 multihash of {@code data}. */
  public static Multihash sha256(byte[] data) {
    return sha256(data, 0, data.length);
  }

  public static Multihash sha256(byte[] data, int offset, int length) {
    MessageDigest md = newSha256();
    md.update(data, offset, length);
    return new Multihash(md.digest());
  }

  /** Wraps a sha2-256 digest computed elsewhere (e.g. while streaming). */
  public static Multihash ofSha256Digest(byte[] digest) {
    if (digest.length != SHA2_256_LENGTH) {
      throw new InvalidCidException("sha2-256 digest must be 32 bytes, got " + digest.length);
    }
    return new Multihash(digest.clone());
  }

  /** Decodes a whole multihash; trailing bytes are an error. */
  public static Multihash decode(byte[] bytes) {
    Multihash mh = decode(bytes, 0, bytes.length);
    if (mh.encodedLength() != bytes.length) {
      throw new InvalidCidException("multihash has " + (bytes.length - mh.encodedLength()) + " trailing bytes");
    }
    return mh;
  }

  /** Decodes the multihash at {@code offset}; {@link #encodedLength()} tells how many bytes it took. */
  static Multihash decode(byte[] in, int offset, int end) {
    long c = Varint.decode(in, offset, end);
    long code = Varint.value(c);
    int pos = offset + Varint.length(c);
    if (code != SHA2_256) {
      throw new InvalidCidException("unsupported hash function 0x" + Long.toHexString(code) + hashName(code)
          + "; this node verifies sha2-256 (0x12) only: re-add the content with sha2-256 (the IPFS default)");
    }
    long l = Varint.decode(in, pos, end);
    long len = Varint.value(l);
    pos += Varint.length(l);
    if (len != SHA2_256_LENGTH) {
      throw new InvalidCidException("sha2-256 multihash must have a 32-byte digest, this one declares " + len);
    }
    if (end - pos < len) {
      throw new InvalidCidException("multihash truncated: declares a 32-byte digest, " + (end - pos) + " bytes left");
    }
    return new Multihash(Arrays.copyOfRange(in, pos, pos + SHA2_256_LENGTH));
  }

  /** The multicodec code of the hash function (always {@link #SHA2_256}). */
  public int code() {
    return SHA2_256;
  }

  public byte[] digest() {
    return digest.clone();
  }

  /** The encoded multihash: {@code 0x12 0x20 <digest>}. */
  public byte[] bytes() {
    byte[] out = new byte[2 + SHA2_256_LENGTH];
    out[0] = SHA2_256;
    out[1] = SHA2_256_LENGTH;
    System.arraycopy(digest, 0, out, 2, SHA2_256_LENGTH);
    return out;
  }

  int encodedLength() {
    return 2 + SHA2_256_LENGTH;
  }

  /** True if {@code data} hashes to this multihash. */
  public boolean matches(byte[] data, int offset, int length) {
    MessageDigest md = newSha256();
    md.update(data, offset, length);
    return MessageDigest.isEqual(md.digest(), digest);
  }

  /** True if {@code digest} (computed elsewhere) equals this one. */
  public boolean matchesDigest(byte[] other) {
    return MessageDigest.isEqual(digest, other);
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multihash m && Arrays.equals(digest, m.digest);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "sha2-256:" + HexFormat.of().formatHex(digest);
  }

  private static String hashName(long code) {
    return switch ((int) code) {
      case 0x00 -> " (identity)";
      case 0x11 -> " (sha1)";
      case 0x13 -> " (sha2-512)";
      case 0x16 -> " (sha3-256)";
      case 0x14 -> " (sha3-512)";
      case 0x1b -> " (keccak-256)";
      case 0x1e -> " (blake3)";
      case 0xb220 -> " (blake2b-256)";
      case 0x1012 -> " (sha2-256-trunc254-padded)";
      default -> "";
    };
  }
}
