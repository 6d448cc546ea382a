package io.infergate.host.oip;

import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An encoded inference response, ready to send.
 *
 * <pre>{@code
 * EncodedResponse r = encoder.encode(request, output);
 * r.headers().forEach(ctx.response()::putHeader);
 * ctx.response().end(r.body());
 * }</pre>
 *
 * @param body the whole body: JSON, or (binary) the JSON header followed by the output blobs
 * @param contentType {@code application/json}, or {@code application/octet-stream} when any output is binary
 * @param headerLength present when binary: the JSON header's length, for {@code Inference-Header-Content-Length}
 */
public record EncodedResponse(Buffer body, String contentType, OptionalLong headerLength) {
  public static final String JSON = "application/json";
  public static final String BINARY = "application/octet-stream";

  public EncodedResponse {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(headerLength, "headerLength");
  }

  /** Whether outputs follow the JSON as blobs (binary tensor extension). */
  public boolean isBinary() {
    return headerLength.isPresent();
  }

  /** The response headers this body needs: {@code Content-Type}, plus the header length when binary. */
  public Map<String, String> headers() {
    return headerLength.isPresent()
        ? Map.of("Content-Type", contentType, OipRequestDecoder.HEADER_LENGTH, Long.toString(headerLength.getAsLong()))
        : Map.of("Content-Type", contentType);
  }
}
