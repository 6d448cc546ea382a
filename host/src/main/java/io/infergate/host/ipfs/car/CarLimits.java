package io.infergate.host.ipfs.car;

/**
 * Bounds on a CAR read from an untrusted source.
 *
 * @param maxHeaderSize bytes of the dag-cbor header
 * @param maxSectionSize bytes of one section (CID + block); the default fits a 2 MiB block
 * @param maxTotalBytes bytes of the whole CAR, duplicates included
 */
public record CarLimits(int maxHeaderSize, int maxSectionSize, long maxTotalBytes) {
  /** Default header bound: 64 KiB, room for over a thousand roots. */
  public static final int DEFAULT_MAX_HEADER_SIZE = 64 * 1024;
  /** Default section bound: a 2 MiB block plus its CID. */
  public static final int DEFAULT_MAX_SECTION_SIZE = (2 << 20) + 128;

  public CarLimits {
    if (maxHeaderSize < 16 || maxSectionSize < 64 || maxTotalBytes < 1) {
      throw new IllegalArgumentException("CAR limits too small: header " + maxHeaderSize + ", section "
          + maxSectionSize + ", total " + maxTotalBytes);
    }
  }

  public static CarLimits defaults() {
    return new CarLimits(DEFAULT_MAX_HEADER_SIZE, DEFAULT_MAX_SECTION_SIZE, Long.MAX_VALUE);
  }

  public CarLimits withMaxTotalBytes(long v) {
    return new CarLimits(maxHeaderSize, maxSectionSize, v);
  }

  public CarLimits withMaxSectionSize(int v) {
    return new CarLimits(maxHeaderSize, v, maxTotalBytes);
  }
}
