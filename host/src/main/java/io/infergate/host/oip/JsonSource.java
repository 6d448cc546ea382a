package io.infergate.host.oip;

import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * The JSON bytes of a request: the whole body, or its first {@code Inference-Header-Content-Length} bytes.
 *
 * <p>Heap-backed Vert.x buffers (what {@code BodyHandler} produces) are parsed in place through their
 * backing array; other buffers have the JSON part copied once. Parsers made here report byte offsets
 * relative to the start of the JSON, which is how a deferred {@code data} range is found again.
 */
final class JsonSource {
  private final byte[] bytes;
  private final int offset;
  private final int length;

  private JsonSource(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
  }

  /** The first {@code length} bytes of {@code body}. */
  static JsonSource of(Buffer body, int length) {
    if (body instanceof BufferInternal internal) {
      ByteBuf buf = internal.getByteBuf();
      if (buf.hasArray()) {
        return new JsonSource(buf.array(), buf.arrayOffset() + buf.readerIndex(), length);
      }
    }
    return new JsonSource(body.getBytes(0, length), 0, length);
  }

  static JsonSource of(byte[] bytes) {
    return new JsonSource(bytes, 0, bytes.length);
  }

  int length() {
    return length;
  }

  JsonParser parser() throws IOException {
    return OipJson.FACTORY.createParser(bytes, offset, length);
  }

  /** A parser over {@code [start, start + len)}, offsets as reported by {@link #parser()}. */
  JsonParser parser(long start, long len) throws IOException {
    return OipJson.FACTORY.createParser(bytes, offset + (int) start, (int) len);
  }
}
