package io.infergate.host.ipfs.car;

import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.Varint;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a CAR v1: the header on creation, then one section per {@link #put(Block)}. The roots must be known
 * up front; to write a DAG whose root comes last (an import), import into a store and use
 * {@link CarExporter}. Not thread-safe.
 */
public final class CarWriter implements BlockSink, Closeable {
  private final OutputStream out;
  private long bytesWritten;

  private CarWriter(OutputStream out, List<Cid> roots) throws IOException {
    this.out = out;
    byte[] header = CarHeader.v1(roots).encode();
    Varint.write(header.length, out);
    out.write(header);
    bytesWritten = Varint.size(header.length) + header.length;
  }

  public static CarWriter create(OutputStream out, Cid root) throws IOException {
    return new CarWriter(out, List.of(root));
  }

  public static CarWriter create(OutputStream out, List<Cid> roots) throws IOException {
    return new CarWriter(out, roots);
  }

  /** Writes one section. */
  @Override
  public void put(Block block) {
    try {
      byte[] cid = block.cid().bytes();
      long len = (long) cid.length + block.size();
      Varint.write(len, out);
      out.write(cid);
      out.write(block.data());
      bytesWritten += Varint.size(len) + len;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long bytesWritten() {
    return bytesWritten;
  }

  /** Flushes and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    out.flush();
    out.close();
  }
}
