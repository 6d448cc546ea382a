package io.infergate.host.oip;

import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.Tensor;

/**
 * One input of the JSON header, checked against its spec. Either its JSON data is already decoded
 * ({@code tensor} set, {@code binarySize} -1), or its data follows the header as a blob of
 * {@code binarySize} bytes ({@code tensor} null) that the decoder attaches in input order.
 */
record ParsedInput(String name, DataType type, long[] shape, long count, Tensor tensor, long binarySize) {

  boolean isBinary() {
    return tensor == null;
  }
}
