package io.infergate.host.oip;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.infergate.host.errors.BadRequestException;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads one element of {@code inputs}: {@code name}, {@code datatype}, {@code shape}, {@code parameters}
 * and {@code data}, in any order.
 *
 * <p>The header (name, datatype, shape) is checked before the data is read, so the data reader can write
 * straight into a buffer sized from a shape known to fit the model and the body. Clients almost always put
 * {@code data} last; when it comes earlier, its byte range is noted, skipped, and parsed again once the
 * header is complete (the JSON bytes are in memory, so this costs one extra scan, never a token copy).
 */
final class InputReader {
  private static final int MAX_RANK = 32;

  private final InputChecker checker;
  private final JsonSource json;
  private final boolean binaryBody;

  InputReader(InputChecker checker, JsonSource json, boolean binaryBody) {
    this.checker = checker;
    this.json = json;
    this.binaryBody = binaryBody;
  }

  /** At the START_OBJECT of {@code inputs[index]}; returns at its END_OBJECT. */
  ParsedInput read(JsonParser p, int index) throws IOException {
    String label = "inputs[" + index + "]";
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new BadRequestException(label + " must be an object {name, shape, datatype, data}, got "
          + OipJson.describe(p.currentToken()));
    }
    String name = null;
    String datatype = null;
    long[] shape = null;
    long binarySize = -1;
    boolean hasData = false;
    Tensor tensor = null;
    long dataStart = -1;
    long dataEnd = -1;
    Header header = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "name" -> name = text(p, label + ".name");
        case "datatype" -> datatype = text(p, label + ".datatype");
        case "shape" -> shape = readShape(p, name == null ? label : "input '" + name + "'");
        case "parameters" -> binarySize = readBinaryDataSize(p, name == null ? label : "input '" + name + "'");
        case "data" -> {
          hasData = true;
          if (value != JsonToken.START_ARRAY) {
            throw new BadRequestException((name == null ? label : "input '" + name + "'")
                + ": 'data' must be an array (flat or nested), got " + OipJson.describe(value));
          }
          if (name != null && datatype != null && shape != null) {
            header = check(name, datatype, shape);
            tensor = readData(p, header);
          } else {
            dataStart = p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            dataEnd = p.currentLocation().getByteOffset();
          }
        }
        default -> p.skipChildren(); // tolerated, as other OIP servers do (e.g. "content_type" from KServe clients)
      }
    }
    if (name == null) {
      throw new BadRequestException(label + " has no 'name'; each input needs name, shape, datatype and data");
    }
    if (datatype == null) {
      throw new BadRequestException("input '" + name + "' has no 'datatype'");
    }
    if (shape == null) {
      throw new BadRequestException("input '" + name + "' has no 'shape'");
    }
    if (header == null) {
      header = check(name, datatype, shape);
    }
    if (hasData && binarySize >= 0) {
      throw new BadRequestException("input '" + name + "' has both 'data' and parameters.binary_data_size;"
          + " send its values one way only");
    }
    if (binarySize >= 0) {
      if (!binaryBody) {
        throw new BadRequestException("input '" + name + "' declares parameters.binary_data_size but the request"
            + " has no binary part; send the JSON length in Inference-Header-Content-Length and the tensor bytes"
            + " after the JSON");
      }
      return new ParsedInput(name, header.type, shape, header.count, null, binarySize);
    }
    if (!hasData) {
      throw new BadRequestException("input '" + name + "' has no 'data'"
          + (binaryBody ? " and no parameters.binary_data_size" : ""));
    }
    if (tensor == null) {
      try (JsonParser again = json.parser(dataStart, dataEnd - dataStart)) {
        again.nextToken();
        tensor = readData(again, header);
      }
    }
    return new ParsedInput(name, header.type, shape, header.count, tensor, -1);
  }

  /** An input header that fits its spec; {@code count} is the product of {@code shape}. */
  private record Header(String name, DataType type, long[] shape, long count) {}

  private Header check(String name, String datatype, long[] shape) {
    TensorSpec spec = checker.spec(name);
    DataType type = checker.dataType(spec, datatype);
    long count = checker.elementCount(spec, shape);
    return new Header(name, type, shape, count);
  }

  private Tensor readData(JsonParser p, Header h) throws IOException {
    // Each JSON element takes at least two bytes ("1," or "\"\""), so a shape asking for more than half the
    // JSON's length cannot be satisfied: reject before allocating what the shape implies.
    if (h.count > json.length() / 2) {
      throw new BadRequestException("input '" + h.name + "': shape " + Shapes.format(h.shape) + " needs " + h.count
          + " elements but the JSON is only " + json.length() + " bytes long; data length must equal the product"
          + " of the shape");
    }
    return new JsonTensorReader(h.name, h.type, h.shape, h.count).read(p);
  }

  private static long[] readShape(JsonParser p, String label) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new BadRequestException(label + ": 'shape' must be an array of integers, got "
          + OipJson.describe(p.currentToken()));
    }
    long[] dims = new long[4];
    int rank = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw new BadRequestException(label + ": 'shape' must be an array of integers; found " + p.getText());
      }
      if (rank == MAX_RANK) {
        throw new BadRequestException(label + ": 'shape' has more than " + MAX_RANK + " dimensions");
      }
      if (rank == dims.length) {
        dims = Arrays.copyOf(dims, rank * 2);
      }
      dims[rank++] = p.getLongValue();
    }
    long[] shape = Arrays.copyOf(dims, rank);
    for (long d : shape) {
      if (d < 0) {
        throw new BadRequestException(label + ": shape " + Shapes.format(shape) + " has a negative dimension;"
            + " dimensions are sizes (use the actual size, -1 is only for model metadata)");
      }
    }
    return shape;
  }

  /** Reads an input's {@code parameters}; returns its binary_data_size, or -1 if absent. */
  private static long readBinaryDataSize(JsonParser p, String label) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new BadRequestException(label + ": 'parameters' must be an object");
    }
    long size = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (field.equals("binary_data_size")) {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            || p.getLongValue() < 0) {
          throw new BadRequestException(label + ": parameters.binary_data_size must be a non-negative integer,"
              + " got " + p.getText());
        }
        size = p.getLongValue();
      } else {
        p.skipChildren();
      }
    }
    return size;
  }

  static String text(JsonParser p, String label) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw new BadRequestException(label + " must be a string, got " + OipJson.describe(p.currentToken()));
    }
    return p.getText();
  }
}
