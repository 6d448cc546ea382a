package io.infergate.host.oip;

import io.infergate.plugin.api.Tensor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * A tensor's blob for the binary tensor extension: fixed-width data as it is (little-endian, row-major),
 * wrapped without a copy; BYTES as a 4-byte little-endian length before each element.
 */
final class BinaryTensorWriter {
  private BinaryTensorWriter() {}

  static ByteBuf blob(Tensor t) {
    if (t.dataType().isFixedWidth()) {
      return Unpooled.wrappedBuffer(t.buffer());
    }
    List<byte[]> elements = t.elements();
    long size = 0;
    for (byte[] e : elements) {
      size += 4 + e.length;
    }
    ByteBuf out = Unpooled.buffer(Math.toIntExact(size));
    for (byte[] e : elements) {
      out.writeIntLE(e.length).writeBytes(e);
    }
    return out;
  }
}
