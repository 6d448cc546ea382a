package io.infergate.host.oip;

import com.fasterxml.jackson.core.JsonGenerator;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.TensorSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OIP v2 model metadata response ({@code GET /v2/models/{name}}) of a service:
 *
 * <pre>{@code
 * {"name": "text-embedding", "versions": ["1.0.0"], "platform": "infergate",
 *  "inputs": [{"name": "text", "datatype": "BYTES", "shape": [-1]}],
 *  "outputs": [{"name": "embedding", "datatype": "FP32", "shape": [-1,384]}],
 *  ...extra fields}
 * }</pre>
 *
 * <p>The host adds its own top-level fields (price, content IDs, execution provider, ...) through
 * {@code extra}, written after the standard ones as plain JSON values (String, Number, Boolean, null,
 * List, Map). They may not replace a standard field.
 */
public final class ModelMetadataEncoder {
  /** The platform name reported for every service. */
  public static final String PLATFORM = "infergate";

  private static final Set<String> STANDARD = Set.of("name", "versions", "platform", "inputs", "outputs");

  private ModelMetadataEncoder() {}

  /** The metadata JSON of {@code service}, with {@code extra} top-level fields after the standard ones. */
  public static Buffer encode(ServiceDescriptor service, Map<String, ?> extra) {
    for (String key : extra.keySet()) {
      if (STANDARD.contains(key)) {
        throw new IllegalArgumentException("extra metadata field '" + key + "' would replace a standard OIP field;"
            + " choose another name");
      }
    }
    ByteBuf out = Unpooled.buffer(256);
    try (JsonGenerator g = OipJson.FACTORY.createGenerator((OutputStream) new ByteBufOutputStream(out))) {
      g.writeStartObject();
      g.writeStringField("name", service.name());
      g.writeArrayFieldStart("versions");
      g.writeString(service.version());
      g.writeEndArray();
      g.writeStringField("platform", PLATFORM);
      writeSpecs(g, "inputs", service.inputs());
      writeSpecs(g, "outputs", service.outputs());
      for (Map.Entry<String, ?> e : extra.entrySet()) {
        g.writeObjectField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing metadata JSON failed (is an extra value not plain JSON data?)", e);
    }
    return BufferInternal.buffer(out);
  }

  /** The metadata JSON of {@code service} without extra fields. */
  public static Buffer encode(ServiceDescriptor service) {
    return encode(service, Map.of());
  }

  private static void writeSpecs(JsonGenerator g, String field, List<TensorSpec> specs) throws IOException {
    g.writeArrayFieldStart(field);
    for (TensorSpec spec : specs) {
      g.writeStartObject();
      g.writeStringField("name", spec.name());
      g.writeStringField("datatype", spec.dataType().name());
      long[] shape = spec.shape();
      g.writeFieldName("shape");
      g.writeArray(shape, 0, shape.length);
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
