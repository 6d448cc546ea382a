package io.infergate.host.oip;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.infergate.host.errors.BadRequestException;
import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes OIP v2 inference requests for one service, JSON or with the binary tensor extension, into an
 * {@link OipRequest} whose tensors fit the service's signature. Every problem is a
 * {@link BadRequestException} whose message names the input and what to send instead.
 *
 * <pre>{@code
 * OipRequestDecoder decoder = OipRequestDecoder.create(service.descriptor());   // once per service
 * OipRequest req = decoder.decode(ctx.body().buffer(), ctx.request().getHeader("Inference-Header-Content-Length"));
 * }</pre>
 *
 * <p>Memory: nothing is allocated beyond what the validated shapes imply, and shapes are checked against the
 * body's size before their buffers exist, so a tiny body declaring a huge shape is rejected without
 * allocating. Fixed-width tensors end up in direct little-endian buffers: JSON data is written into them
 * while parsing; binary blobs are sliced from the body without a copy when the body is direct, otherwise
 * the binary section is copied once into one direct buffer that all its tensors slice. With a direct body
 * the tensors view its memory, so the caller must keep the body unmodified until the call has finished
 * (holding the routing context does that). The body size limit is the HTTP layer's job.
 *
 * <p>Thread-safe: one decoder serves all requests of its service.
 */
public final class OipRequestDecoder {
  /** The HTTP header of the binary tensor extension that carries the length of the JSON part. */
  public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  private final ServiceDescriptor service;
  private final RequestHeaderReader headerReader;

  private OipRequestDecoder(ServiceDescriptor service) {
    this.service = service;
    this.headerReader = new RequestHeaderReader(service);
  }

  public static OipRequestDecoder create(ServiceDescriptor service) {
    return new OipRequestDecoder(service);
  }

  /**
   * Decodes a request body given the raw value of its {@value #HEADER_LENGTH} header: absent (null) for a
   * JSON request, else the number of JSON bytes before the tensor blobs.
   */
  public OipRequest decode(Buffer body, String headerLengthHeader) {
    if (headerLengthHeader == null) {
      return decodeJson(body);
    }
    long length;
    try {
      length = Long.parseLong(headerLengthHeader.trim());
    } catch (NumberFormatException e) {
      length = -1;
    }
    if (length < 0) {
      throw new BadRequestException(HEADER_LENGTH + " '" + headerLengthHeader + "' is not a byte count; send the"
          + " length of the JSON part of the body as a non-negative integer");
    }
    return decodeBinary(body, length);
  }

  /** Decodes a body that is entirely JSON ({@code application/json}). */
  public OipRequest decodeJson(Buffer body) {
    RequestHeader header = readHeader(JsonSource.of(body, body.length()), false, "the request body");
    return assemble(header, Map.of());
  }

  /** Decodes a body of the binary tensor extension: {@code headerLength} bytes of JSON, then the blobs. */
  public OipRequest decodeBinary(Buffer body, long headerLength) {
    if (headerLength > body.length()) {
      throw new BadRequestException(HEADER_LENGTH + " is " + headerLength + " but the body has only "
          + body.length() + " bytes; it must be the length of the JSON part, which the tensor bytes follow");
    }
    if (headerLength == 0) {
      throw new BadRequestException(HEADER_LENGTH + " 0 (a raw binary request without JSON) is not supported;"
          + " send a JSON header describing the inputs, followed by their bytes");
    }
    int jsonLength = (int) headerLength;
    RequestHeader header = readHeader(JsonSource.of(body, jsonLength), true, "the JSON header");
    return assemble(header, readBlobs(header.inputs(), body, jsonLength));
  }

  private RequestHeader readHeader(JsonSource json, boolean binaryBody, String what) {
    try {
      return headerReader.read(json, binaryBody);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      // Jackson names the (redacted) source in nested locations; callers only need line and column.
      String reason = e.getOriginalMessage().replaceAll("\\[Source: REDACTED[^;]*; ", "[");
      throw new BadRequestException(what + " is not valid JSON: " + reason
          + (at == null ? "" : " (at byte " + at.getByteOffset() + ")")
          + "; send an OIP v2 inference request object");
    } catch (IOException e) {
      throw new UncheckedIOException("reading JSON from memory failed", e);
    }
  }

  /** Locates each binary input's blob after the JSON, in the order the inputs appear in the JSON. */
  private Map<String, Tensor> readBlobs(List<ParsedInput> inputs, Buffer body, int jsonLength) {
    long declared = 0;
    for (ParsedInput in : inputs) {
      if (in.isBinary()) {
        BinaryTensorReader.checkSize(in);
        declared = declared > Long.MAX_VALUE - in.binarySize() ? Long.MAX_VALUE : declared + in.binarySize();
      }
    }
    int available = body.length() - jsonLength;
    if (declared != available) {
      throw new BadRequestException("the inputs' binary_data_size add up to " + declared + " bytes but "
          + available + " bytes follow the JSON header (" + HEADER_LENGTH + " " + jsonLength + "); the body must"
          + " be the JSON followed by exactly the tensors' bytes, in input order");
    }
    ByteBuffer section = binarySection(body, jsonLength, available);
    Map<String, Tensor> tensors = new HashMap<>();
    int position = 0;
    for (ParsedInput in : inputs) {
      if (in.isBinary()) {
        int size = (int) in.binarySize();
        tensors.put(in.name(), BinaryTensorReader.read(in, section.slice(position, size).order(ByteOrder.LITTLE_ENDIAN)));
        position += size;
      }
    }
    return tensors;
  }

  /** The bytes after the JSON as one direct little-endian buffer: a view if the body is direct, else a copy. */
  private static ByteBuffer binarySection(Buffer body, int start, int length) {
    if (body instanceof BufferInternal internal) {
      ByteBuf buf = internal.getByteBuf();
      if (buf.isDirect() && buf.nioBufferCount() == 1) {
        return buf.nioBuffer(buf.readerIndex() + start, length).order(ByteOrder.LITTLE_ENDIAN);
      }
      ByteBuffer copy = ByteBuffer.allocateDirect(length);
      buf.getBytes(buf.readerIndex() + start, copy);
      return copy.flip().order(ByteOrder.LITTLE_ENDIAN);
    }
    ByteBuffer copy = ByteBuffer.allocateDirect(length);
    copy.put(body.getBytes(start, start + length));
    return copy.flip().order(ByteOrder.LITTLE_ENDIAN);
  }

  private OipRequest assemble(RequestHeader header, Map<String, Tensor> blobs) {
    Map<String, Tensor> byName = new HashMap<>(blobs);
    for (ParsedInput in : header.inputs()) {
      if (!in.isBinary()) {
        byName.put(in.name(), in.tensor());
      }
    }
    Map<String, Tensor> ordered = new LinkedHashMap<>();
    for (TensorSpec spec : service.inputs()) {
      ordered.put(spec.name(), byName.get(spec.name()));
    }
    return new OipRequest(header.id(), InferenceInput.of(ordered, header.parameters()), header.outputs(),
        header.binaryOutputDefault());
  }
}
