package io.infergate.host.oip;

import io.infergate.host.errors.BadRequestException;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one input's blob of the binary tensor extension into a tensor.
 *
 * <p>Fixed-width blobs are little-endian, row-major, {@code product(shape) × size} bytes; the tensor wraps
 * the blob itself (a slice of the request's binary section, no copy). BOOL bytes must be 0 or 1, since ONNX
 * Runtime hands them to C++ {@code bool}. A BYTES blob is a sequence of elements, each a 4-byte unsigned
 * little-endian length followed by that many bytes; it must hold exactly {@code product(shape)} elements
 * and nothing after them.
 */
final class BinaryTensorReader {
  private BinaryTensorReader() {}

  /**
   * Checks a fixed-width input's {@code binary_data_size} against its shape, before any blob is located, so
   * that a wrong size is reported as such rather than as a framing error of the whole body.
   */
  static void checkSize(ParsedInput in) {
    if (!in.type().isFixedWidth()) {
      return; // BYTES: the blob must parse exactly, see readBytes
    }
    long expected;
    try {
      expected = Math.multiplyExact(in.count(), in.type().byteSize());
    } catch (ArithmeticException e) {
      expected = -1;
    }
    if (in.binarySize() != expected) {
      throw new BadRequestException("input '" + in.name() + "': binary_data_size is " + in.binarySize()
          + " but shape " + Shapes.format(in.shape()) + " of " + in.type() + " needs " + in.count() + " × "
          + in.type().byteSize() + (expected < 0 ? " bytes (more than 2^63)" : " = " + expected + " bytes"));
    }
  }

  /** {@code blob} is exactly the input's {@code binary_data_size} bytes, little-endian, sized by {@link #checkSize}. */
  static Tensor read(ParsedInput in, ByteBuffer blob) {
    return in.type().isFixedWidth()
        ? readFixed(in.name(), in.type(), in.shape(), blob)
        : readBytes(in.name(), in.shape(), in.count(), blob);
  }

  private static Tensor readFixed(String input, DataType type, long[] shape, ByteBuffer blob) {
    if (type == DataType.BOOL) {
      for (int i = blob.position(); i < blob.limit(); i++) {
        byte b = blob.get(i);
        if (b != 0 && b != 1) {
          throw new BadRequestException("input '" + input + "': BOOL element " + (i - blob.position()) + " is byte "
              + (b & 0xFF) + "; BOOL elements are one byte each, 0 or 1");
        }
      }
    }
    return Tensor.wrap(type, shape, blob);
  }

  private static Tensor readBytes(String input, long[] shape, long count, ByteBuffer blob) {
    ByteBuffer b = blob.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    // Every element takes at least its 4-byte length, which bounds the list before anything is allocated.
    if (count > b.remaining() / 4) {
      throw new BadRequestException("input '" + input + "': shape " + Shapes.format(shape) + " needs " + count
          + " BYTES elements but binary_data_size " + b.remaining() + " cannot hold that many (each element is"
          + " a 4-byte little-endian length followed by its bytes)");
    }
    List<byte[]> elements = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      if (b.remaining() < 4) {
        throw new BadRequestException("input '" + input + "': BYTES element " + i + " has no 4-byte length;"
            + " the blob ends after " + i + " of " + count + " elements");
      }
      long length = Integer.toUnsignedLong(b.getInt());
      if (length > b.remaining()) {
        throw new BadRequestException("input '" + input + "': BYTES element " + i + " declares " + length
            + " bytes but only " + b.remaining() + " remain in its binary_data_size");
      }
      byte[] e = new byte[(int) length];
      b.get(e);
      elements.add(e);
    }
    if (b.hasRemaining()) {
      throw new BadRequestException("input '" + input + "': " + b.remaining() + " bytes remain after the "
          + count + " BYTES elements that shape " + Shapes.format(shape) + " needs; binary_data_size must cover"
          + " exactly the elements");
    }
    return Tensor.ofBytes(shape, elements);
  }
}
