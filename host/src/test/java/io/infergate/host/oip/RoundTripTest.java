package io.infergate.host.oip;

import static io.infergate.host.oip.OipFixtures.binaryBody;
import static io.infergate.host.oip.OipFixtures.body;
import static io.infergate.host.oip.OipFixtures.bytesBlob;
import static io.infergate.host.oip.OipFixtures.headerLength;
import static io.infergate.host.oip.OipFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.Price;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.TensorSpec;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request → tensor → response through an "echo" service (output "y" is input "x"): what a client sends is
 * exactly what it gets back, in JSON and in binary, for every datatype.
 */
class RoundTripTest {

  private static ServiceDescriptor echo(DataType type) {
    return ServiceDescriptor.builder("echo", "1.0.0").price(Price.free())
        .input(TensorSpec.of("x", type, -1, 2)).output(TensorSpec.of("y", type, -1, 2)).build();
  }

  private static EncodedResponse echoOnce(ServiceDescriptor s, OipRequest request) {
    InferenceOutput out = InferenceOutput.builder().tensor("y", request.input().tensor("x")).build();
    return OipResponseEncoder.create(s).encode(request, out);
  }

  static Stream<Arguments> jsonData() {
    return Stream.of(
        Arguments.of(DataType.BOOL, "[true,false,false,true]"),
        Arguments.of(DataType.UINT8, "[0,1,254,255]"),
        Arguments.of(DataType.INT8, "[-128,-1,0,127]"),
        Arguments.of(DataType.INT16, "[-32768,-1,0,32767]"),
        Arguments.of(DataType.INT32, "[-2147483648,-1,0,2147483647]"),
        Arguments.of(DataType.INT64, "[-9223372036854775808,-1,0,9223372036854775807]"),
        Arguments.of(DataType.FP32, "[0.1,-3.4028235E38,1.4E-45,\"NaN\"]"),
        Arguments.of(DataType.FP64, "[0.1,-1.7976931348623157E308,4.9E-324,\"Infinity\"]"),
        Arguments.of(DataType.BYTES, "[\"a\",\"\",\"héllo\",\"\\n\"]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jsonData")
  void jsonComesBackAsItWasSent(DataType type, String flat) {
    ServiceDescriptor s = echo(type);
    OipRequest request = OipRequestDecoder.create(s).decodeJson(body("{'id':'r1','inputs':[{'name':'x','shape':[2,2],"
        + "'datatype':'" + type + "','data':" + flat.replace('"', '\'') + "}]}"));
    JsonNode response = tree(echoOnce(s, request).body());
    assertEquals("r1", response.get("id").asText());
    JsonNode y = response.get("outputs").get(0);
    assertEquals(type.name(), y.get("datatype").asText());
    assertEquals("[2,2]", y.get("shape").toString());
    assertEquals(flat, y.get("data").toString());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(DataType.class)
  void binaryComesBackByteForByte(DataType type) {
    byte[] blob;
    if (type == DataType.BYTES) {
      blob = bytesBlob("a".getBytes(), new byte[0], new byte[] {(byte) 0xff, 0}, "héllo".getBytes());
    } else {
      blob = new byte[4 * type.byteSize()];
      new Random(type.ordinal()).nextBytes(blob);
      if (type == DataType.BOOL) {
        for (int i = 0; i < blob.length; i++) {
          blob[i] &= 1;
        }
      }
    }
    String header = "{'inputs':[{'name':'x','shape':[2,2],'datatype':'" + type + "','parameters':{'binary_data_size':"
        + blob.length + "}}],'parameters':{'binary_data_output':true}}";
    ServiceDescriptor s = echo(type);
    OipRequest request = OipRequestDecoder.create(s).decode(binaryBody(header, blob), Integer.toString(headerLength(header)));
    EncodedResponse response = echoOnce(s, request);
    int h = (int) response.headerLength().orElseThrow();
    Buffer body = response.body();
    JsonNode y = tree(body.getBuffer(0, h)).get("outputs").get(0);
    assertEquals(blob.length, y.get("parameters").get("binary_data_size").asInt());
    assertArrayEquals(blob, Arrays.copyOfRange(body.getBytes(), h, body.length()));
  }
}
