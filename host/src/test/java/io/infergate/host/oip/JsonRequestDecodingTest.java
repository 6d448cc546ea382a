package io.infergate.host.oip;

import static io.infergate.host.oip.OipFixtures.body;
import static io.infergate.host.oip.OipFixtures.le;
import static io.infergate.host.oip.OipFixtures.remaining;
import static io.infergate.host.oip.OipFixtures.service;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonRequestDecodingTest {

  /** Every datatype that has a JSON form: its data, and the little-endian bytes it must become. */
  static Stream<Arguments> everyJsonType() {
    return Stream.of(
        Arguments.of(DataType.BOOL, "[true,false,true]", new byte[] {1, 0, 1}),
        Arguments.of(DataType.UINT8, "[0,255,7]", new byte[] {0, (byte) 255, 7}),
        Arguments.of(DataType.INT8, "[-128,127,0]", new byte[] {-128, 127, 0}),
        Arguments.of(DataType.INT16, "[-32768,32767,1]",
            le(6).putShort((short) -32768).putShort((short) 32767).putShort((short) 1).array()),
        Arguments.of(DataType.INT32, "[-2147483648,2147483647,-1]",
            le(12).putInt(Integer.MIN_VALUE).putInt(Integer.MAX_VALUE).putInt(-1).array()),
        Arguments.of(DataType.INT64, "[-9223372036854775808,9223372036854775807,0]",
            le(24).putLong(Long.MIN_VALUE).putLong(Long.MAX_VALUE).putLong(0).array()),
        Arguments.of(DataType.FP32, "[0.1,-2.5,1.4E-45]",
            le(12).putFloat(0.1f).putFloat(-2.5f).putFloat(Float.MIN_VALUE).array()),
        Arguments.of(DataType.FP32, "[1,\"NaN\",\"-Infinity\"]",
            le(12).putFloat(1f).putFloat(Float.NaN).putFloat(Float.NEGATIVE_INFINITY).array()),
        Arguments.of(DataType.FP64, "[0.1,1.7976931348623157E308,-0.0]",
            le(24).putDouble(0.1).putDouble(Double.MAX_VALUE).putDouble(-0.0).array()));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyJsonType")
  void decodesEveryFixedTypeIntoDirectLittleEndianBuffer(DataType type, String data, byte[] expected) {
    ServiceDescriptor s = service(TensorSpec.of("x", type, -1));
    OipRequest r = OipRequestDecoder.create(s).decodeJson(body(
        "{'inputs':[{'name':'x','shape':[3],'datatype':'" + type + "','data':" + data.replace('"', '\'') + "}]}"));
    Tensor t = r.input().tensor("x");
    assertEquals(type, t.dataType());
    assertArrayEquals(new long[] {3}, t.shape());
    assertTrue(t.buffer().isDirect(), "fixed-width tensors must be direct for ONNX Runtime");
    assertArrayEquals(expected, remaining(t.buffer()));
  }

  @Test
  void decodesBytesAsUtf8() {
    ServiceDescriptor s = service(TensorSpec.of("text", DataType.BYTES, -1));
    OipRequest r = OipRequestDecoder.create(s).decodeJson(body(
        "{'inputs':[{'name':'text','shape':[3],'datatype':'BYTES','data':['héllo','','\\u00e9\\n']}]}"));
    assertEquals(List.of("héllo", "", "é\n"), r.input().tensor("text").strings());
    assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), r.input().tensor("text").elements().get(0));
  }

  @Test
  void nestedAndFlatDataGiveTheSameTensor() {
    ServiceDescriptor s = service(TensorSpec.of("x", DataType.INT32, -1, 3));
    OipRequestDecoder d = OipRequestDecoder.create(s);
    Tensor nested = d.decodeJson(body(
        "{'inputs':[{'name':'x','shape':[2,3],'datatype':'INT32','data':[[1,2,3],[4,5,6]]}]}")).input().tensor("x");
    Tensor flat = d.decodeJson(body(
        "{'inputs':[{'name':'x','shape':[2,3],'datatype':'INT32','data':[1,2,3,4,5,6]}]}")).input().tensor("x");
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, nested.toIntArray());
    assertArrayEquals(flat.toIntArray(), nested.toIntArray());
    assertArrayEquals(new long[] {2, 3}, nested.shape());
  }

  @Test
  void emptyDimensionsAndScalarsDecode() {
    ServiceDescriptor s = service(TensorSpec.of("x", DataType.FP32, -1, -1), TensorSpec.of("k", DataType.INT64));
    OipRequest r = OipRequestDecoder.create(s).decodeJson(body("{'inputs':["
        + "{'name':'x','shape':[2,0],'datatype':'FP32','data':[[],[]]},"
        + "{'name':'k','shape':[],'datatype':'INT64','data':[7]}]}"));
    assertEquals(0, r.input().tensor("x").elementCount());
    assertArrayEquals(new long[] {7}, r.input().tensor("k").toLongArray());
  }

  @Test
  void fp32IsRoundedOnceNotThroughDouble() {
    // The decimal lies just below the midpoint of two floats; through double it rounds up to the midpoint
    // and then (ties to even) to 0x3F800002. Correct rounding gives 0x3F800001.
    ServiceDescriptor s = service(TensorSpec.of("x", DataType.FP32, -1));
    String v = "1.00000017881393432617187499";
    for (String input : List.of(
        "{'inputs':[{'name':'x','shape':[1],'datatype':'FP32','data':[" + v + "]}]}",
        "{'inputs':[{'data':[" + v + "],'name':'x','shape':[1],'datatype':'FP32'}]}")) {
      Tensor t = OipRequestDecoder.create(s).decodeJson(body(input)).input().tensor("x");
      assertEquals(0x3F800001, Float.floatToRawIntBits(t.toFloatArray()[0]), input);
    }
  }

  @Test
  void readsIdParametersAndRequestedOutputs() {
    ServiceDescriptor s = ServiceDescriptor.builder("m", "1.0.0").price(io.infergate.plugin.api.Price.free())
        .input(TensorSpec.of("x", DataType.FP32, -1))
        .output(TensorSpec.of("a", DataType.FP32, -1))
        .output(TensorSpec.of("b", DataType.FP32, -1))
        .output(TensorSpec.of("c", DataType.FP32, -1))
        .build();
    // binary_data_output comes after the outputs it is the default for.
    OipRequest r = OipRequestDecoder.create(s).decodeJson(body("{'id':'42','outputs':["
        + "{'name':'c'},{'name':'a','parameters':{'binary_data':false}}],"
        + "'inputs':[{'name':'x','shape':[1],'datatype':'FP32','data':[1]}],"
        + "'parameters':{'binary_data_output':true,'temperature':0.5,'top_k':3,'mode':'fast'}}"));
    assertEquals(Optional.of("42"), r.id());
    assertTrue(r.binaryOutputDefault());
    assertEquals(List.of(new RequestedOutput("c", true), new RequestedOutput("a", false)), r.outputs());
    assertEquals(Map.of("binary_data_output", true, "temperature", 0.5, "top_k", 3, "mode", "fast"),
        r.input().parameters());
  }

  @Test
  void withoutIdOrOutputsEverythingDefaults() {
    ServiceDescriptor s = service(TensorSpec.of("x", DataType.FP32, -1));
    OipRequest r = OipRequestDecoder.create(s).decodeJson(body(
        "{'inputs':[{'name':'x','shape':[1],'datatype':'FP32','data':[1]}]}"));
    assertEquals(Optional.empty(), r.id());
    assertEquals(List.of(), r.outputs());
    assertFalse(r.binaryOutputDefault());
    assertEquals(Map.of(), r.input().parameters());
  }

  @Test
  void inputsComeOutInDescriptorOrderWhateverTheRequestOrder() {
    ServiceDescriptor s = service(TensorSpec.of("a", DataType.INT64, -1), TensorSpec.of("b", DataType.INT64, -1));
    OipRequest r = OipRequestDecoder.create(s).decodeJson(body("{'inputs':["
        + "{'name':'b','shape':[1],'datatype':'INT64','data':[2]},"
        + "{'name':'a','shape':[1],'datatype':'INT64','data':[1]}]}"));
    assertEquals(List.of("a", "b"), List.copyOf(r.input().tensors().keySet()));
  }

  @Test
  void dataBeforeItsHeaderIsReadOnceTheHeaderIsKnown() {
    ServiceDescriptor s = service(TensorSpec.of("x", DataType.INT32, -1, 2));
    // Also from a slice whose backing array does not start at the JSON, to pin the byte-offset arithmetic.
    Buffer padded = Buffer.buffer("garbage").appendBuffer(body(
        "{'inputs':[{'data':[[1,2],[3,4]],'shape':[2,2],'content_type':'x','name':'x','datatype':'INT32'}],"
        + "'model_name':'m'}"));
    Buffer sliced = padded.slice(7, padded.length());
    Tensor t = OipRequestDecoder.create(s).decodeJson(sliced).input().tensor("x");
    assertArrayEquals(new int[] {1, 2, 3, 4}, t.toIntArray());
  }

  @Test
  void unknownFieldsAreTolerated() {
    ServiceDescriptor s = service(TensorSpec.of("x", DataType.FP32, -1));
    OipRequest r = OipRequestDecoder.create(s).decodeJson(body("{'model_name':'m','extra':{'a':[1,{}]},"
        + "'inputs':[{'name':'x','shape':[1],'datatype':'FP32','parameters':{'content_type':'np'},'data':[1]}],"
        + "'outputs':[{'name':'y','parameters':{'classification':2}}]}"));
    assertEquals(1, r.input().tensor("x").elementCount());
  }
}
