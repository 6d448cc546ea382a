package io.infergate.host.ipfs.cid;

import java.util.Arrays;

/**
 * An IPFS content identifier: version, codec and multihash. Immutable; equal when their binary forms are
 * equal (so a CIDv0 and the CIDv1 of the same dag-pb block are different CIDs, see {@link #toV1()}).
 *
 * <pre>{@code
 * Cid cid = Cid.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
 * cid.verify(bytes);                     // true if bytes hash to this CID
 * Cid leaf = Cid.compute(Codec.RAW, bytes); // CIDv1 of a raw block
 * }</pre>
 *
 * <p>CIDv0 is {@code base58btc(multihash)} with implied codec dag-pb; CIDv1 is
 * {@code <varint 1><varint codec><multihash>} printed as multibase base32 lower case.
 */
public final class Cid {
  private final int version;
  private final Codec codec;
  private final Multihash multihash;
  private final byte[] bytes;
  private final String text;

  private Cid(int version, Codec codec, Multihash multihash) {
    this.version = version;
    this.codec = codec;
    this.multihash = multihash;
    this.bytes = version == 0 ? multihash.bytes() : v1Bytes(codec, multihash);
    this.text = version == 0 ? Multibase.encodeBase58btc(bytes) : "b" + Multibase.encodeBase32(bytes);
  }

  /** A CIDv1 for {@code codec} and {@code multihash}. */
  public static Cid v1(Codec codec, Multihash multihash) {
    return new Cid(1, codec, multihash);
  }

  /** A CIDv0 (always dag-pb). */
  public static Cid v0(Multihash multihash) {
    return new Cid(0, Codec.DAG_PB, multihash);
  }

  /** The CIDv1 of {@code block} under {@code codec}, hashed with sha2-256. */
  public static Cid compute(Codec codec, byte[] block) {
    return v1(codec, Multihash.sha256(block));
  }

  /**
   * Parses the text form: CIDv0 ({@code Qm…}, 46 characters) or CIDv1 in multibase base32 ({@code b…}) or
   * base58btc ({@code z…}).
   */
  public static Cid parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidCidException("empty CID; expected e.g. 'bafy…', 'bafk…' or 'Qm…'");
    }
    if (text.length() == 46 && text.startsWith("Qm")) {
      return decode(Multibase.decodeBase58btc(text));
    }
    if (text.length() > 256) {
      throw new InvalidCidException("CID text is " + text.length() + " characters long; a sha2-256 CID is at most 60");
    }
    byte[] raw;
    try {
      raw = Multibase.decode(text);
    } catch (InvalidCidException e) {
      throw new InvalidCidException("'" + abbreviate(text) + "' is not a CID: " + e.getMessage());
    }
    Cid cid = decode(raw);
    if (cid.version == 0) {
      throw new InvalidCidException("'" + abbreviate(text) + "' is a CIDv0 in multibase form; write it as plain base58 'Qm…'");
    }
    return cid;
  }

  /** Decodes the binary form; trailing bytes are an error. */
  public static Cid decode(byte[] bytes) {
    Cid cid = read(bytes, 0, bytes.length);
    if (cid.bytes.length != bytes.length) {
      throw new InvalidCidException("CID has " + (bytes.length - cid.bytes.length) + " trailing bytes");
    }
    return cid;
  }

  /** Decodes the binary CID at {@code offset} (as in CAR sections and dag-pb links); {@link #byteLength()} says how long it was. */
  public static Cid read(byte[] in, int offset, int end) {
    if (end - offset >= 2 && in[offset] == Multihash.SHA2_256 && in[offset + 1] == Multihash.SHA2_256_LENGTH) {
      return v0(Multihash.decode(in, offset, end));
    }
    long v = Varint.decode(in, offset, end);
    long version = Varint.value(v);
    int pos = offset + Varint.length(v);
    if (version != 1) {
      throw new InvalidCidException("unsupported CID version " + version + "; expected 0 (Qm…) or 1");
    }
    long c = Varint.decode(in, pos, end);
    Codec codec = Codec.of(Varint.value(c));
    pos += Varint.length(c);
    return v1(codec, Multihash.decode(in, pos, end));
  }

  public int version() {
    return version;
  }

  public Codec codec() {
    return codec;
  }

  public Multihash multihash() {
    return multihash;
  }

  /** The binary form (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Length of the binary form. */
  public int byteLength() {
    return bytes.length;
  }

  /** This CID as version 1 (a CIDv0 becomes the dag-pb CIDv1 with the same multihash). */
  public Cid toV1() {
    return version == 1 ? this : v1(codec, multihash);
  }

  /** The base58btc multibase form ({@code z…}) of a CIDv1; a CIDv0 prints as itself. */
  public String toBase58btc() {
    return version == 0 ? text : "z" + Multibase.encodeBase58btc(bytes);
  }

  /** True if {@code block} hashes to this CID's multihash. */
  public boolean verify(byte[] block) {
    return multihash.matches(block, 0, block.length);
  }

  public boolean verify(byte[] block, int offset, int length) {
    return multihash.matches(block, offset, length);
  }

  /** The canonical text form: base58btc for CIDv0, base32 lower case ({@code b…}) for CIDv1. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cid c && Arrays.equals(bytes, c.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  private static byte[] v1Bytes(Codec codec, Multihash mh) {
    byte[] hash = mh.bytes();
    byte[] out = new byte[1 + Varint.size(codec.code()) + hash.length];
    int pos = Varint.write(1, out, 0);
    pos = Varint.write(codec.code(), out, pos);
    System.arraycopy(hash, 0, out, pos, hash.length);
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() <= 70 ? s : s.substring(0, 67) + "...";
  }
}
