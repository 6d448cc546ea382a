package io.infergate.host.oip;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.host.errors.BadRequestException;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.Price;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.TensorSpec;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Services, bodies and assertions shared by the codec tests. JSON in tests is written with ' for ". */
final class OipFixtures {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private OipFixtures() {}

  /** A service named "m" version 1.0.0 with the given inputs and one FP32 output "y" [-1]. */
  static ServiceDescriptor service(TensorSpec... inputs) {
    return service(64, inputs);
  }

  static ServiceDescriptor service(int maxBatchSize, TensorSpec... inputs) {
    ServiceDescriptor.Builder b = ServiceDescriptor.builder("m", "1.0.0").price(Price.free()).maxBatchSize(maxBatchSize);
    for (TensorSpec in : inputs) {
      b.input(in);
    }
    return b.output(TensorSpec.of("y", DataType.FP32, -1)).build();
  }

  /** JSON text with ' standing for ". */
  static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  static Buffer body(String singleQuoted) {
    return Buffer.buffer(json(singleQuoted));
  }

  /** A binary-extension body: the JSON header, then the blobs. */
  static Buffer binaryBody(String singleQuotedHeader, byte[]... blobs) {
    Buffer b = Buffer.buffer(json(singleQuotedHeader));
    for (byte[] blob : blobs) {
      b.appendBytes(blob);
    }
    return b;
  }

  static int headerLength(String singleQuotedHeader) {
    return json(singleQuotedHeader).getBytes(StandardCharsets.UTF_8).length;
  }

  static ByteBuffer le(int capacity) {
    return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** BYTES elements framed as the binary extension does: 4-byte LE length, then the bytes. */
  static byte[] bytesBlob(byte[]... elements) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] e : elements) {
      out.writeBytes(le(4).putInt(e.length).array());
      out.writeBytes(e);
    }
    return out.toByteArray();
  }

  static byte[] remaining(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  static JsonNode tree(Buffer b) {
    try {
      return MAPPER.readTree(b.getBytes());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + b, e);
    }
  }

  /** Asserts a 400 whose message contains every fragment, and returns the message. */
  static String assertRejected(Supplier<?> call, String... fragments) {
    BadRequestException e = assertThrows(BadRequestException.class, call::get);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' should contain '" + f + "'");
    }
    return e.getMessage();
  }
}
