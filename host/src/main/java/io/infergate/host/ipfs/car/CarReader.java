package io.infergate.host.ipfs.car;

import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.InvalidCidException;
import io.infergate.host.ipfs.cid.Varint;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Streams a CAR v1 and hands out only verified blocks.
 *
 * <pre>{@code
 * try (CarReader car = CarReader.open(in, CarLimits.defaults())) {
 *   car.requireRoot(expected);
 *   for (Optional<Block> b = car.next(); b.isPresent(); b = car.next()) store.put(b.get());
 * }
 * }</pre>
 *
 * Every section's block is hashed and compared with its CID before it is returned; a mismatch throws
 * {@link io.infergate.host.ipfs.block.BlockVerificationException}, so the caller can mark the source bad.
 * Duplicate sections are legal in CAR and are returned again (sinks ignore repeats); they count against
 * {@link CarLimits#maxTotalBytes()}.
 */
public final class CarReader implements Closeable {
  private final InputStream in;
  private final CarLimits limits;
  private final List<Cid> roots;
  private long bytesRead;
  private long blocks;

  private CarReader(InputStream in, CarLimits limits) throws IOException {
    this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
    this.limits = limits;
    this.roots = readHeader();
  }

  /** Reads and checks the header: CAR v1 only. */
  public static CarReader open(InputStream in, CarLimits limits) throws IOException {
    return new CarReader(in, limits);
  }

  /**
   * Reads a whole CAR into {@code sink}, after checking that {@code expectedRoot} is among its roots.
   *
   * @return the number of blocks read (duplicates included)
   */
  public static long readAll(InputStream in, Cid expectedRoot, BlockSink sink, CarLimits limits) throws IOException {
    try (CarReader car = open(in, limits)) {
      car.requireRoot(expectedRoot);
      for (Optional<Block> b = car.next(); b.isPresent(); b = car.next()) {
        sink.put(b.get());
      }
      return car.blocks;
    }
  }

  public List<Cid> roots() {
    return roots;
  }

  /** Fails unless {@code cid} (or the same multihash in another CID version) is a root of this CAR. */
  public void requireRoot(Cid cid) {
    for (Cid r : roots) {
      if (r.equals(cid) || r.toV1().equals(cid.toV1())) {
        return;
      }
    }
    throw new CarFormatException("CAR roots " + roots + " do not include the requested " + cid
        + "; the source sent a different DAG");
  }

  /** The next verified block, or empty at the clean end of the CAR. */
  public Optional<Block> next() throws IOException {
    long len = readVarint("section length");
    if (len < 0) {
      return Optional.empty();
    }
    if (len == 0) {
      throw new CarFormatException("CAR section " + (blocks + 1) + " has length 0 (a CARv2 padding or a broken writer)");
    }
    if (len > limits.maxSectionSize()) {
      throw new CarFormatException("CAR section " + (blocks + 1) + " declares " + len + " bytes, more than the "
          + limits.maxSectionSize() + " allowed (limit maxSectionSize)");
    }
    byte[] section = readFully((int) len, "section " + (blocks + 1));
    Cid cid;
    try {
      cid = Cid.read(section, 0, section.length);
    } catch (InvalidCidException e) {
      throw new CarFormatException("CAR section " + (blocks + 1) + " does not start with a usable CID: " + e.getMessage(), e);
    }
    byte[] data = java.util.Arrays.copyOfRange(section, cid.byteLength(), section.length);
    blocks++;
    return Optional.of(Block.verified(cid, data));
  }

  /** Bytes consumed so far, header included. */
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private List<Cid> readHeader() throws IOException {
    long len = readVarint("header length");
    if (len < 0) {
      throw new CarFormatException("empty input: not a CAR file");
    }
    if (len == 0 || len > limits.maxHeaderSize()) {
      throw new CarFormatException("CAR header length " + len + " is outside 1.." + limits.maxHeaderSize()
          + "; this is not a CAR v1 stream");
    }
    CarHeader header = CarHeader.decode(readFully((int) len, "header"));
    if (header.version() == 2) {
      throw new CarFormatException("CARv2 is not supported; ask the source for a CAR v1 "
          + "(Accept: application/vnd.ipld.car; version=1) or convert the file to CARv1");
    }
    if (header.version() != 1) {
      throw new CarFormatException("unsupported CAR version " + header.version() + "; only CAR v1 is read");
    }
    return header.roots();
  }

  private long readVarint(String what) throws IOException {
    long before = bytesRead;
    long v;
    try {
      v = Varint.read(new CountingByte());
    } catch (EOFException e) {
      throw new CarFormatException("CAR truncated inside the " + what + " at byte " + before);
    } catch (InvalidCidException e) {
      throw new CarFormatException("CAR " + what + " at byte " + before + " is not a valid varint: " + e.getMessage());
    }
    return v;
  }

  private byte[] readFully(int len, String what) throws IOException {
    ensureTotal(len);
    byte[] b = in.readNBytes(len);
    bytesRead += b.length;
    if (b.length != len) {
      throw new CarFormatException("CAR truncated: " + what + " declares " + len + " bytes but only " + b.length
          + " arrived; the transfer was cut off, fetch it again");
    }
    return b;
  }

  private void ensureTotal(long more) {
    if (bytesRead + more > limits.maxTotalBytes()) {
      throw new CarFormatException("CAR exceeds " + limits.maxTotalBytes() + " bytes (limit maxTotalBytes)");
    }
  }

  /** Byte-at-a-time view that counts, for varints (the stream is buffered). */
  private final class CountingByte extends InputStream {
    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        ensureTotal(1);
        bytesRead++;
      }
      return b;
    }
  }
}
