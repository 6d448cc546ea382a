package io.infergate.host.oip;

import static io.infergate.host.oip.OipFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.host.errors.ServiceFailedException;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.Price;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResponseEncodingTest {
  private static final ServiceDescriptor S = ServiceDescriptor.builder("m", "2.1.0").price(Price.free())
      .input(TensorSpec.of("x", DataType.FP32, -1))
      .output(TensorSpec.of("emb", DataType.FP32, -1, 2))
      .output(TensorSpec.of("ids", DataType.INT64, -1))
      .output(TensorSpec.of("text", DataType.BYTES, -1))
      .build();
  private static final InferenceOutput OUT = InferenceOutput.builder()
      .tensor("emb", Tensor.ofFloats(new long[] {2, 2}, new float[] {0.1f, -1f, 3.5f, Float.NaN}))
      .tensor("ids", Tensor.ofLongs(new long[] {3}, new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}))
      .tensor("text", Tensor.ofStrings(List.of("é", "")))
      .build();

  private static OipRequest request(String id, boolean binaryDefault, RequestedOutput... outputs) {
    return new OipRequest(Optional.ofNullable(id), InferenceInput.of(Map.of()), List.of(outputs), binaryDefault);
  }

  private static EncodedResponse encode(OipRequest r, InferenceOutput out) {
    return OipResponseEncoder.create(S).encode(r, out);
  }

  @Test
  void jsonResponseHasEveryOutputInDescriptorOrderWithFlatData() {
    EncodedResponse r = encode(request("42", false), OUT);
    assertEquals("application/json", r.contentType());
    assertEquals(OptionalLong.empty(), r.headerLength());
    assertEquals(Map.of("Content-Type", "application/json"), r.headers());
    JsonNode json = tree(r.body());
    assertEquals("m", json.get("model_name").asText());
    assertEquals("2.1.0", json.get("model_version").asText());
    assertEquals("42", json.get("id").asText());
    assertFalse(json.has("parameters"), "no parameters when the output has none");
    JsonNode outputs = json.get("outputs");
    assertEquals(3, outputs.size());
    assertEquals("{\"name\":\"emb\",\"datatype\":\"FP32\",\"shape\":[2,2],\"data\":[0.1,-1.0,3.5,\"NaN\"]}",
        outputs.get(0).toString());
    assertEquals("{\"name\":\"ids\",\"datatype\":\"INT64\",\"shape\":[3],"
        + "\"data\":[-9223372036854775808,0,9223372036854775807]}", outputs.get(1).toString());
    assertEquals("{\"name\":\"text\",\"datatype\":\"BYTES\",\"shape\":[2],\"data\":[\"é\",\"\"]}",
        outputs.get(2).toString());
  }

  @Test
  void onlyRequestedOutputsInTheRequestedOrderAndNoIdWhenNoneWasSent() {
    JsonNode json = tree(encode(request(null, false, new RequestedOutput("text", false),
        new RequestedOutput("emb", false)), OUT).body());
    assertFalse(json.has("id"));
    assertEquals(2, json.get("outputs").size());
    assertEquals("text", json.get("outputs").get(0).get("name").asText());
    assertEquals("emb", json.get("outputs").get(1).get("name").asText());
  }

  @Test
  void outputParametersAreWritten() {
    InferenceOutput out = InferenceOutput.builder().tensor("emb", Tensor.ofFloats(new long[] {0, 2}, new float[0]))
        .tensor("ids", Tensor.ofLongs(new long[] {0}, new long[0])).tensor("text", Tensor.ofStrings(List.of()))
        .parameter("truncated", List.of(0, 2)).parameter("tokens", 17).build();
    JsonNode json = tree(encode(request(null, false), out).body());
    assertEquals("{\"truncated\":[0,2],\"tokens\":17}", json.get("parameters").toString());
    assertEquals("[]", json.get("outputs").get(0).get("data").toString());
  }

  @Test
  void aMissingOutputIsAServiceFailure() {
    InferenceOutput partial = InferenceOutput.builder().tensor("emb", Tensor.ofFloats(new long[] {1, 2}, new float[2])).build();
    ServiceFailedException e = assertThrows(ServiceFailedException.class,
        () -> encode(request(null, false, new RequestedOutput("ids", false)), partial));
    assertTrue(e.getMessage().contains("did not produce its output 'ids'"), e.getMessage());
  }

  @Test
  void binaryOutputsFollowTheJsonHeaderByteByByte() {
    // emb binary (fixed), ids as JSON, text binary (BYTES): blobs in output order, emb then text.
    EncodedResponse r = encode(request("7", false, new RequestedOutput("emb", true),
        new RequestedOutput("ids", false), new RequestedOutput("text", true)), OUT);
    assertEquals("application/octet-stream", r.contentType());
    int headerLength = (int) r.headerLength().orElseThrow();
    assertEquals(Map.of("Content-Type", "application/octet-stream", "Inference-Header-Content-Length",
        Integer.toString(headerLength)), r.headers());

    byte[] body = r.body().getBytes();
    JsonNode header = tree(Buffer.buffer(java.util.Arrays.copyOf(body, headerLength)));
    JsonNode emb = header.get("outputs").get(0);
    assertFalse(emb.has("data"));
    assertEquals(16, emb.get("parameters").get("binary_data_size").asInt());
    assertEquals("[2,2]", emb.get("shape").toString());
    assertEquals("[-9223372036854775808,0,9223372036854775807]", header.get("outputs").get(1).get("data").toString());
    JsonNode text = header.get("outputs").get(2);
    assertEquals(4 + 2 + 4, text.get("parameters").get("binary_data_size").asInt());
    assertEquals(headerLength + 16 + 10, body.length);

    int p = headerLength;
    float[] expected = {0.1f, -1f, 3.5f, Float.NaN};
    for (float f : expected) {
      int bits = (body[p] & 0xff) | (body[p + 1] & 0xff) << 8 | (body[p + 2] & 0xff) << 16 | (body[p + 3] & 0xff) << 24;
      assertEquals(Float.floatToRawIntBits(f), bits);
      p += 4;
    }
    byte[] e = "é".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(new byte[] {2, 0, 0, 0, e[0], e[1], 0, 0, 0, 0}, java.util.Arrays.copyOfRange(body, p, body.length));
  }

  @Test
  void binaryDataOutputMakesEveryOutputBinaryWhenNoneIsRequested() {
    EncodedResponse r = encode(request(null, true), OUT);
    JsonNode header = tree(r.body().getBuffer(0, (int) r.headerLength().orElseThrow()));
    for (JsonNode o : header.get("outputs")) {
      assertTrue(o.get("parameters").has("binary_data_size"), o.toString());
    }
    assertEquals(r.headerLength().orElseThrow() + 16 + 24 + 10, r.body().length());
  }

  @Test
  void fp32PrintsSoThatParsingBackGivesTheSameBits() throws Exception {
    Random random = new Random(1);
    float[] values = new float[20_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (i) {
        case 0 -> Float.MIN_VALUE;
        case 1 -> Float.MAX_VALUE;
        case 2 -> Float.MIN_NORMAL;
        case 3 -> -0f;
        case 4 -> 0.1f;
        case 5 -> Math.nextUp(1f);
        default -> Float.intBitsToFloat(random.nextInt());
      };
    }
    ServiceDescriptor s = ServiceDescriptor.builder("m", "1.0.0").price(Price.free())
        .input(TensorSpec.of("x", DataType.FP32, -1)).output(TensorSpec.of("y", DataType.FP32, -1)).build();
    Buffer body = OipResponseEncoder.create(s).encode(request(null, false),
        InferenceOutput.builder().tensor("y", Tensor.ofFloats(new long[] {values.length}, values)).build()).body();
    List<String> printed = new ArrayList<>();
    try (JsonParser p = OipFixtures.MAPPER.createParser(body.getBytes())) {
      while (p.nextToken() != null) {
        if ("data".equals(p.currentName()) && p.currentToken() == JsonToken.START_ARRAY) {
          while (p.nextToken() != JsonToken.END_ARRAY) {
            printed.add(p.getText());
          }
        }
      }
    }
    assertEquals(values.length, printed.size());
    for (int i = 0; i < values.length; i++) {
      float back = switch (printed.get(i)) {
        case "NaN" -> Float.NaN;
        case "Infinity" -> Float.POSITIVE_INFINITY;
        case "-Infinity" -> Float.NEGATIVE_INFINITY;
        default -> Float.parseFloat(printed.get(i));
      };
      if (Float.isNaN(values[i])) {
        assertTrue(Float.isNaN(back));
      } else {
        assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back), printed.get(i));
      }
    }
    assertEquals("0.1", printed.get(4), "FP32 is printed as float, never widened to double first");
  }

  @Test
  void uint8IsUnsignedBoolIsBooleanAndFp16IsItsValue() {
    ServiceDescriptor s = ServiceDescriptor.builder("m", "1.0.0").price(Price.free())
        .input(TensorSpec.of("x", DataType.FP32, -1))
        .output(TensorSpec.of("u", DataType.UINT8, -1)).output(TensorSpec.of("b", DataType.BOOL, -1))
        .output(TensorSpec.of("h", DataType.FP16, -1)).output(TensorSpec.of("i8", DataType.INT8, -1))
        .output(TensorSpec.of("i16", DataType.INT16, -1)).output(TensorSpec.of("d", DataType.FP64, -1))
        .build();
    InferenceOutput out = InferenceOutput.builder()
        .tensor("u", wrap(DataType.UINT8, new byte[] {(byte) 255, 0}))
        .tensor("b", wrap(DataType.BOOL, new byte[] {1, 0}))
        .tensor("h", wrap(DataType.FP16, le(4).putShort(Float.floatToFloat16(0.5f)).putShort(Float.floatToFloat16(-3f)).array()))
        .tensor("i8", wrap(DataType.INT8, new byte[] {-128, 127}))
        .tensor("i16", wrap(DataType.INT16, le(4).putShort((short) -32768).putShort((short) 5).array()))
        .tensor("d", wrap(DataType.FP64, le(16).putDouble(0.1).putDouble(Double.NEGATIVE_INFINITY).array()))
        .build();
    JsonNode outputs = tree(OipResponseEncoder.create(s).encode(request(null, false), out).body()).get("outputs");
    assertEquals("[255,0]", outputs.get(0).get("data").toString());
    assertEquals("[true,false]", outputs.get(1).get("data").toString());
    assertEquals("[0.5,-3.0]", outputs.get(2).get("data").toString());
    assertEquals("[-128,127]", outputs.get(3).get("data").toString());
    assertEquals("[-32768,5]", outputs.get(4).get("data").toString());
    assertEquals("[0.1,\"-Infinity\"]", outputs.get(5).get("data").toString());
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static Tensor wrap(DataType type, byte[] bytes) {
    ByteBuffer b = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.LITTLE_ENDIAN).put(bytes).flip();
    return Tensor.wrap(type, new long[] {bytes.length / type.byteSize()}, b);
  }
}
