package io.infergate.plugin.api;

import java.util.Optional;

/**
 * Element types of tensors, named as in the KServe Open Inference Protocol v2.
 *
 * <p>Fixed-width types are stored little-endian, row-major, without padding. {@link #BYTES} elements are
 * variable-length byte strings (UTF-8 text, typically).
 */
public enum DataType {
  BOOL(1), UINT8(1), INT8(1), INT16(2), INT32(4), INT64(8), FP16(2), FP32(4), FP64(8), BYTES(-1);

  private final int byteSize;

  DataType(int byteSize) {
    this.byteSize = byteSize;
  }

  /** Bytes per element, or -1 for {@link #BYTES}. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether elements have a fixed width. */
  public boolean isFixedWidth() {
    return byteSize > 0;
  }

  /** Parses an OIP datatype name ({@code "FP32"}, ...); empty if unknown or unsupported. */
  public static Optional<DataType> fromName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (DataType t : values()) {
      if (t.name().equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
