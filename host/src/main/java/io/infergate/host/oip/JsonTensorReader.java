package io.infergate.host.oip;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.infergate.host.errors.BadRequestException;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one input's JSON {@code data} (nested or flat) straight from the token stream into the tensor's
 * final storage: a direct little-endian buffer for fixed-width types, byte strings for BYTES. No boxed
 * values or intermediate lists are built, since this is the hot path of JSON requests.
 *
 * <p>Flat data is a single array of {@code product(shape)} scalars. Nested data must follow the shape
 * exactly (an array of {@code shape[0]} arrays of {@code shape[1]} ...); ragged or partly nested arrays are
 * rejected. The element count is checked while reading, so the buffer is never overrun.
 *
 * <p>Element rules: BOOL takes only {@code true}/{@code false}; integer types take only JSON integers (no
 * fraction or exponent) within their range; FP32/FP64 take numbers (parsed directly to the target width, so
 * FP32 values are correctly rounded, never rounded twice through double) and the strings {@code "NaN"},
 * {@code "Infinity"} and {@code "-Infinity"}, which is how the encoder writes non-finite values; BYTES takes
 * strings, stored as UTF-8. FP16 has no JSON form here: it must use the binary extension.
 */
final class JsonTensorReader {
  private final String input;
  private final DataType type;
  private final long[] shape;
  private final long count;
  private final ByteBuffer fixed;
  private final List<byte[]> strings;
  private long written;

  /** {@code count} is {@code product(shape)}, already bounded by the caller against the body size. */
  JsonTensorReader(String input, DataType type, long[] shape, long count) {
    if (type == DataType.FP16) {
      throw new BadRequestException("input '" + input + "': FP16 data cannot be sent as JSON numbers; send it"
          + " with the binary tensor extension (parameters.binary_data_size and Inference-Header-Content-Length)");
    }
    this.input = input;
    this.type = type;
    this.shape = shape;
    this.count = count;
    if (type.isFixedWidth()) {
      long bytes = count * type.byteSize(); // no overflow: count is at most the body length
      if (bytes > Integer.MAX_VALUE) {
        throw bad("shape " + Shapes.format(shape) + " needs " + bytes + " bytes, more than one tensor can hold (2 GiB)");
      }
      this.fixed = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
      this.strings = null;
    } else {
      this.fixed = null;
      this.strings = new ArrayList<>((int) count);
    }
  }

  /** Reads the value at the parser's current token, which must start the data array. */
  Tensor read(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw bad("'data' must be an array of " + type + " values, got " + describe(p));
    }
    JsonToken first = p.nextToken();
    if (first == JsonToken.START_ARRAY) {
      readNested(p, 0, first);
    } else {
      readFlat(p, first);
    }
    if (written != count) {
      throw bad("data has " + written + " element" + (written == 1 ? "" : "s") + " but shape "
          + Shapes.format(shape) + " needs " + count + " (the product of the shape)");
    }
    if (fixed != null) {
      fixed.flip();
      return Tensor.wrap(type, shape, fixed);
    }
    return Tensor.ofBytes(shape, strings);
  }

  private void readFlat(JsonParser p, JsonToken token) throws IOException {
    for (JsonToken t = token; t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == JsonToken.START_ARRAY) {
        throw bad("data mixes numbers and arrays; send it flat, or nested exactly as shape " + Shapes.format(shape));
      }
      if (written == count) {
        throw bad("data has more than the " + count + " elements that shape " + Shapes.format(shape) + " needs");
      }
      add(p, t);
    }
  }

  /**
   * Reads the array of dimension {@code dim}, whose START_ARRAY is consumed and whose first inner token is
   * {@code first}; consumes through its END_ARRAY.
   */
  private void readNested(JsonParser p, int dim, JsonToken first) throws IOException {
    if (dim >= shape.length) {
      throw bad("nested data is deeper than shape " + Shapes.format(shape));
    }
    boolean innermost = dim == shape.length - 1;
    long n = 0;
    for (JsonToken t = first; t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (++n > shape[dim]) {
        throw ragged(dim, "more than " + shape[dim]);
      }
      if (innermost) {
        if (t == JsonToken.START_ARRAY) {
          throw bad("nested data is deeper than shape " + Shapes.format(shape));
        }
        add(p, t);
      } else if (t == JsonToken.START_ARRAY) {
        readNested(p, dim + 1, p.nextToken());
      } else {
        throw ragged(dim + 1, "a scalar where an array of " + shape[dim + 1]);
      }
    }
    if (n != shape[dim]) {
      throw ragged(dim, n + " element" + (n == 1 ? "" : "s") + " where " + shape[dim]);
    }
  }

  private BadRequestException ragged(int dim, String what) {
    return bad("nested data does not follow shape " + Shapes.format(shape) + ": an array at depth " + (dim + 1)
        + " has " + what + " were expected; ragged arrays are not tensors");
  }

  private void add(JsonParser p, JsonToken t) throws IOException {
    switch (type) {
      case BOOL -> fixed.put(bool(p, t));
      case UINT8 -> fixed.put((byte) integer(p, t, 0, 0xFF));
      case INT8 -> fixed.put((byte) integer(p, t, Byte.MIN_VALUE, Byte.MAX_VALUE));
      case INT16 -> fixed.putShort((short) integer(p, t, Short.MIN_VALUE, Short.MAX_VALUE));
      case INT32 -> fixed.putInt((int) integer(p, t, Integer.MIN_VALUE, Integer.MAX_VALUE));
      case INT64 -> fixed.putLong(integer(p, t, Long.MIN_VALUE, Long.MAX_VALUE));
      case FP32 -> fixed.putFloat(fp32(p, t));
      case FP64 -> fixed.putDouble(fp64(p, t));
      case BYTES -> strings.add(string(p, t));
      case FP16 -> throw new IllegalStateException("FP16 is rejected in the constructor");
    }
    written++;
  }

  private byte bool(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_TRUE) {
      return 1;
    }
    if (t == JsonToken.VALUE_FALSE) {
      return 0;
    }
    throw element(p, "true or false");
  }

  private long integer(JsonParser p, JsonToken t, long min, long max) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      long v = p.getLongValue();
      if (v >= min && v <= max) {
        return v;
      }
    }
    if (t == JsonToken.VALUE_NUMBER_INT) {
      throw bad("element " + written + " is " + p.getText() + ", out of the " + type + " range [" + min + ", "
          + max + "]");
    }
    throw element(p, "an integer in [" + min + ", " + max + "] written without fraction or exponent");
  }

  private float fp32(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      float v = p.getFloatValue();
      if (Float.isInfinite(v)) {
        throw bad("element " + written + " is " + p.getText() + ", out of the FP32 range (max "
            + Float.MAX_VALUE + ")");
      }
      return v;
    }
    if (t == JsonToken.VALUE_STRING) {
      double special = nonFinite(p.getText());
      if (!Double.isFinite(special)) {
        return (float) special;
      }
    }
    throw element(p, "a number (or \"NaN\", \"Infinity\", \"-Infinity\")");
  }

  private double fp64(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      double v = p.getDoubleValue();
      if (Double.isInfinite(v)) {
        throw bad("element " + written + " is " + p.getText() + ", out of the FP64 range");
      }
      return v;
    }
    if (t == JsonToken.VALUE_STRING) {
      double special = nonFinite(p.getText());
      if (!Double.isFinite(special)) {
        return special;
      }
    }
    throw element(p, "a number (or \"NaN\", \"Infinity\", \"-Infinity\")");
  }

  /** The non-finite value a string names, or 0 if it names none. */
  private static double nonFinite(String s) {
    return switch (s) {
      case "NaN" -> Double.NaN;
      case "Infinity" -> Double.POSITIVE_INFINITY;
      case "-Infinity" -> Double.NEGATIVE_INFINITY;
      default -> 0;
    };
  }

  private byte[] string(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      throw element(p, "a string");
    }
    return p.getText().getBytes(StandardCharsets.UTF_8);
  }

  private BadRequestException element(JsonParser p, String expected) throws IOException {
    return bad("element " + written + " is " + describe(p) + ", but " + type + " elements must be " + expected);
  }

  private static String describe(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "the string \"" + abbreviate(p.getText()) + "\"";
      case VALUE_NULL -> "null";
      default -> abbreviate(p.getText());
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  private BadRequestException bad(String message) {
    return new BadRequestException("input '" + input + "': " + message);
  }
}
