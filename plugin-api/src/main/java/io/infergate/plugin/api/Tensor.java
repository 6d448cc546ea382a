package io.infergate.plugin.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable tensor: element type, shape and data.
 *
 * <p>Fixed-width data lives in a little-endian {@link ByteBuffer}. Tensors made by the factories here use
 * direct buffers, which the host hands to ONNX Runtime without copying. {@link DataType#BYTES} tensors hold
 * one byte string per element.
 *
 * <pre>{@code
 * Tensor ids = Tensor.ofLongs(new long[] {1, 3}, new long[] {101, 7592, 102});
 * Tensor texts = Tensor.ofStrings(List.of("hello", "world"));
 * float[] values = result.toFloatArray();
 * }</pre>
 */
public final class Tensor {
  private final DataType dataType;
  private final long[] shape;
  private final ByteBuffer data;          // fixed-width types only; read-only, little-endian
  private final List<byte[]> elements;    // BYTES only

  private Tensor(DataType dataType, long[] shape, ByteBuffer data, List<byte[]> elements) {
    this.dataType = dataType;
    this.shape = shape;
    this.data = data;
    this.elements = elements;
  }

  /**
   * Wraps fixed-width data. The buffer's remaining bytes must be exactly {@code product(shape) * byteSize};
   * it is taken over (do not modify it afterwards). Direct little-endian buffers are used without a copy.
   */
  public static Tensor wrap(DataType dataType, long[] shape, ByteBuffer data) {
    Objects.requireNonNull(dataType, "dataType");
    if (!dataType.isFixedWidth()) {
      throw new IllegalArgumentException("BYTES tensors are made with ofBytes or ofStrings, not wrap");
    }
    long[] s = checkShape(shape);
    long expected = elementCount(s) * dataType.byteSize();
    if (data.remaining() != expected) {
      throw new IllegalArgumentException("a " + dataType + " tensor of shape " + Arrays.toString(s) + " needs "
          + expected + " bytes, got " + data.remaining());
    }
    return new Tensor(dataType, s, data.slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN), null);
  }

  /** An FP32 tensor copied from {@code values} into a direct buffer. */
  public static Tensor ofFloats(long[] shape, float[] values) {
    ByteBuffer b = allocate(DataType.FP32, shape, values.length);
    b.asFloatBuffer().put(values);
    return wrap(DataType.FP32, shape, b);
  }

  /** An INT64 tensor copied from {@code values} into a direct buffer. */
  public static Tensor ofLongs(long[] shape, long[] values) {
    ByteBuffer b = allocate(DataType.INT64, shape, values.length);
    b.asLongBuffer().put(values);
    return wrap(DataType.INT64, shape, b);
  }

  /** An INT32 tensor copied from {@code values} into a direct buffer. */
  public static Tensor ofInts(long[] shape, int[] values) {
    ByteBuffer b = allocate(DataType.INT32, shape, values.length);
    b.asIntBuffer().put(values);
    return wrap(DataType.INT32, shape, b);
  }

  /** A one-dimensional BYTES tensor of UTF-8 strings. */
  public static Tensor ofStrings(List<String> values) {
    List<byte[]> raw = new ArrayList<>(values.size());
    for (String v : values) {
      raw.add(Objects.requireNonNull(v, "string element").getBytes(StandardCharsets.UTF_8));
    }
    return ofBytes(new long[] {values.size()}, raw);
  }

  /** A BYTES tensor; {@code elements.size()} must equal {@code product(shape)}. */
  public static Tensor ofBytes(long[] shape, List<byte[]> elements) {
    long[] s = checkShape(shape);
    if (elements.size() != elementCount(s)) {
      throw new IllegalArgumentException("a BYTES tensor of shape " + Arrays.toString(s) + " needs "
          + elementCount(s) + " elements, got " + elements.size());
    }
    List<byte[]> copy = new ArrayList<>(elements.size());
    for (byte[] e : elements) {
      copy.add(e.clone());
    }
    return new Tensor(DataType.BYTES, s, null, List.copyOf(copy));
  }

  public DataType dataType() {
    return dataType;
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  /** The number of elements: the product of the shape. */
  public long elementCount() {
    return elementCount(shape);
  }

  /**
   * The data of a fixed-width tensor: a read-only little-endian view positioned at 0. Direct when the tensor
   * was made by a factory here or wrapped from a direct buffer.
   */
  public ByteBuffer buffer() {
    if (data == null) {
      throw new IllegalStateException("a BYTES tensor has no fixed-width buffer; use elements() or strings()");
    }
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Size in bytes of the data (for BYTES: the sum of the element lengths). */
  public long byteSize() {
    if (data != null) {
      return data.remaining();
    }
    long n = 0;
    for (byte[] e : elements) {
      n += e.length;
    }
    return n;
  }

  /** The elements of a BYTES tensor (copies). */
  public List<byte[]> elements() {
    requireType(DataType.BYTES);
    List<byte[]> out = new ArrayList<>(elements.size());
    for (byte[] e : elements) {
      out.add(e.clone());
    }
    return out;
  }

  /** The elements of a BYTES tensor decoded as UTF-8. */
  public List<String> strings() {
    requireType(DataType.BYTES);
    List<String> out = new ArrayList<>(elements.size());
    for (byte[] e : elements) {
      out.add(new String(e, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The data of an FP32 tensor as a new array. */
  public float[] toFloatArray() {
    requireType(DataType.FP32);
    float[] out = new float[(int) elementCount()];
    buffer().asFloatBuffer().get(out);
    return out;
  }

  /** The data of an INT64 tensor as a new array. */
  public long[] toLongArray() {
    requireType(DataType.INT64);
    long[] out = new long[(int) elementCount()];
    buffer().asLongBuffer().get(out);
    return out;
  }

  /** The data of an INT32 tensor as a new array. */
  public int[] toIntArray() {
    requireType(DataType.INT32);
    int[] out = new int[(int) elementCount()];
    buffer().asIntBuffer().get(out);
    return out;
  }

  private void requireType(DataType expected) {
    if (dataType != expected) {
      throw new IllegalStateException("tensor is " + dataType + ", not " + expected);
    }
  }

  private static ByteBuffer allocate(DataType type, long[] shape, int values) {
    long n = elementCount(checkShape(shape));
    if (n != values) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " elements, got " + values);
    }
    return ByteBuffer.allocateDirect(Math.multiplyExact(values, type.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static long[] checkShape(long[] shape) {
    long[] s = Objects.requireNonNull(shape, "shape").clone();
    for (long d : s) {
      if (d < 0) {
        throw new IllegalArgumentException("shape " + Arrays.toString(s) + " has a negative dimension");
      }
    }
    elementCount(s);
    return s;
  }

  private static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public String toString() {
    return "Tensor[" + dataType + Arrays.toString(shape) + "]";
  }
}
