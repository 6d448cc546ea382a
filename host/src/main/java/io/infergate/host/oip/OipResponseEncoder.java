package io.infergate.host.oip;

import com.fasterxml.jackson.core.JsonGenerator;
import io.infergate.host.errors.ServiceFailedException;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Encodes a service's output as an OIP v2 inference response for the request that asked for it.
 *
 * <pre>{@code
 * {"model_name": "m", "model_version": "1.0.0", "id": "42", "parameters": {...},
 *  "outputs": [{"name": "y", "datatype": "FP32", "shape": [2,3], "data": [...]}]}
 * }</pre>
 *
 * <p>Only the requested outputs are written, in the order requested; when none were requested, every output
 * in the descriptor's order. {@code id} is echoed when the request had one; {@code parameters} come from
 * {@link InferenceOutput#parameters()} and are omitted when empty. Outputs marked binary carry
 * {@code parameters.binary_data_size} instead of {@code data}, and their blobs follow the JSON in output
 * order; the result then says the header length for {@code Inference-Header-Content-Length}.
 *
 * <p>The JSON is streamed into one heap buffer; binary blobs of fixed-width outputs are not copied but
 * joined to it as a composite buffer over the tensors' own memory. Thread-safe.
 */
public final class OipResponseEncoder {
  private final ServiceDescriptor service;

  private OipResponseEncoder(ServiceDescriptor service) {
    this.service = service;
  }

  public static OipResponseEncoder create(ServiceDescriptor service) {
    return new OipResponseEncoder(service);
  }

  /**
   * Encodes {@code output} for {@code request}; throws {@link ServiceFailedException} if the service did not
   * produce an output that is to be returned.
   */
  public EncodedResponse encode(OipRequest request, InferenceOutput output) {
    List<Selected> selected = select(request, output);
    ByteBuf header = Unpooled.buffer(256);
    List<ByteBuf> blobs = new ArrayList<>();
    try (JsonGenerator g = OipJson.FACTORY.createGenerator((OutputStream) new ByteBufOutputStream(header))) {
      g.writeStartObject();
      g.writeStringField("model_name", service.name());
      g.writeStringField("model_version", service.version());
      if (request.id().isPresent()) {
        g.writeStringField("id", request.id().get());
      }
      if (!output.parameters().isEmpty()) {
        g.writeObjectField("parameters", output.parameters());
      }
      g.writeArrayFieldStart("outputs");
      for (Selected s : selected) {
        writeOutput(g, s, blobs);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    if (blobs.isEmpty()) {
      return new EncodedResponse(BufferInternal.buffer(header), EncodedResponse.JSON, OptionalLong.empty());
    }
    int headerLength = header.readableBytes();
    CompositeByteBuf body = Unpooled.compositeBuffer(blobs.size() + 1);
    body.addComponent(true, header);
    for (ByteBuf blob : blobs) {
      body.addComponent(true, blob);
    }
    return new EncodedResponse(BufferInternal.buffer(body), EncodedResponse.BINARY, OptionalLong.of(headerLength));
  }

  private record Selected(String name, Tensor tensor, boolean binary) {}

  private List<Selected> select(OipRequest request, InferenceOutput output) {
    List<Selected> selected = new ArrayList<>();
    if (request.outputs().isEmpty()) {
      for (TensorSpec spec : service.outputs()) {
        selected.add(new Selected(spec.name(), produced(output, spec.name()), request.binaryOutputDefault()));
      }
    } else {
      for (RequestedOutput r : request.outputs()) {
        selected.add(new Selected(r.name(), produced(output, r.name()), r.binary()));
      }
    }
    return selected;
  }

  private Tensor produced(InferenceOutput output, String name) {
    Tensor t = output.tensors().get(name);
    if (t == null) {
      throw new ServiceFailedException("service '" + service.name() + "' did not produce its output '" + name
          + "' (it produced " + output.tensors().keySet() + "); this is a fault of the service's plugin", null);
    }
    return t;
  }

  private static void writeOutput(JsonGenerator g, Selected s, List<ByteBuf> blobs) throws IOException {
    Tensor t = s.tensor();
    g.writeStartObject();
    g.writeStringField("name", s.name());
    g.writeStringField("datatype", t.dataType().name());
    long[] shape = t.shape();
    g.writeFieldName("shape");
    g.writeArray(shape, 0, shape.length);
    if (s.binary()) {
      ByteBuf blob = BinaryTensorWriter.blob(t);
      blobs.add(blob);
      g.writeObjectFieldStart("parameters");
      g.writeNumberField("binary_data_size", blob.readableBytes());
      g.writeEndObject();
    } else {
      g.writeFieldName("data");
      JsonTensorWriter.writeData(g, t);
    }
    g.writeEndObject();
  }
}
