package io.infergate.host.oip;

import com.fasterxml.jackson.core.JsonGenerator;
import io.infergate.plugin.api.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes a tensor's data as a flat JSON array, element by element from its buffer (no boxing, no
 * intermediate arrays).
 *
 * <p>Numbers are written so that parsing them back at the same width gives the same bits: FP32 through
 * {@link JsonGenerator#writeNumber(float)}, whose shortest-decimal form (JDK 19+ {@code Float.toString})
 * round-trips exactly, never widened to double first (which would print {@code 0.10000000149011612} for
 * {@code 0.1f}). NaN and infinities, which JSON cannot express, are written as the strings {@code "NaN"},
 * {@code "Infinity"} and {@code "-Infinity"}, which the decoder accepts back. FP16 is written as the FP32
 * number of the same value (exact). UINT8 is written unsigned. BYTES elements are written as strings,
 * decoded as UTF-8 (invalid sequences become U+FFFD: request such outputs as binary to get the raw bytes).
 */
final class JsonTensorWriter {
  private JsonTensorWriter() {}

  static void writeData(JsonGenerator g, Tensor t) throws IOException {
    g.writeStartArray();
    if (!t.dataType().isFixedWidth()) {
      for (String s : t.strings()) {
        g.writeString(s);
      }
      g.writeEndArray();
      return;
    }
    ByteBuffer b = t.buffer();
    int n = (int) t.elementCount();
    switch (t.dataType()) {
      case BOOL -> { for (int i = 0; i < n; i++) g.writeBoolean(b.get(i) != 0); }
      case UINT8 -> { for (int i = 0; i < n; i++) g.writeNumber(b.get(i) & 0xFF); }
      case INT8 -> { for (int i = 0; i < n; i++) g.writeNumber(b.get(i)); }
      case INT16 -> { for (int i = 0; i < n; i++) g.writeNumber(b.getShort(i * 2)); }
      case INT32 -> { for (int i = 0; i < n; i++) g.writeNumber(b.getInt(i * 4)); }
      case INT64 -> { for (int i = 0; i < n; i++) g.writeNumber(b.getLong(i * 8)); }
      case FP16 -> { for (int i = 0; i < n; i++) g.writeNumber(Float.float16ToFloat(b.getShort(i * 2))); }
      case FP32 -> { for (int i = 0; i < n; i++) g.writeNumber(b.getFloat(i * 4)); }
      case FP64 -> { for (int i = 0; i < n; i++) g.writeNumber(b.getDouble(i * 8)); }
      case BYTES -> throw new IllegalStateException("BYTES is handled above");
    }
    g.writeEndArray();
  }
}
