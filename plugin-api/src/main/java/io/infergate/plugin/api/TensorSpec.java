package io.infergate.plugin.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * The name, element type and shape of a tensor that a service or model accepts or produces.
 *
 * <p>A dimension of {@code -1} matches any size. Example: {@code TensorSpec.of("text", DataType.BYTES, -1)}
 * is a batch of texts; {@code TensorSpec.of("embedding", DataType.FP32, -1, 384)} a batch of vectors.
 */
public final class TensorSpec {
  private final String name;
  private final DataType dataType;
  private final long[] shape;

  private TensorSpec(String name, DataType dataType, long[] shape) {
    this.name = Names.requireTensorName(name);
    this.dataType = Objects.requireNonNull(dataType, "dataType");
    this.shape = shape.clone();
    for (long d : this.shape) {
      if (d < -1) {
        throw new IllegalArgumentException("tensor '" + name + "': dimension " + d + " is invalid; use -1 for a variable size");
      }
    }
  }

  /** A spec with the given shape; {@code -1} marks a variable dimension. */
  public static TensorSpec of(String name, DataType dataType, long... shape) {
    return new TensorSpec(name, dataType, shape);
  }

  public String name() {
    return name;
  }

  public DataType dataType() {
    return dataType;
  }

  /** A copy of the declared shape. */
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** Whether a concrete shape fits this spec: same rank, and every fixed dimension equal. */
  public boolean accepts(long[] concrete) {
    if (concrete.length != shape.length) {
      return false;
    }
    for (int i = 0; i < shape.length; i++) {
      if (concrete[i] < 0 || (shape[i] != -1 && shape[i] != concrete[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t && t.name.equals(name) && t.dataType == dataType && Arrays.equals(t.shape, shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dataType, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + ":" + dataType + Arrays.toString(shape);
  }
}
