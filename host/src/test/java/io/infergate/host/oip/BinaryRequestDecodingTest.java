package io.infergate.host.oip;

import static io.infergate.host.oip.OipFixtures.binaryBody;
import static io.infergate.host.oip.OipFixtures.bytesBlob;
import static io.infergate.host.oip.OipFixtures.headerLength;
import static io.infergate.host.oip.OipFixtures.le;
import static io.infergate.host.oip.OipFixtures.remaining;
import static io.infergate.host.oip.OipFixtures.service;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BinaryRequestDecodingTest {

  private static OipRequest decode(ServiceDescriptor s, String header, byte[]... blobs) {
    return OipRequestDecoder.create(s).decode(binaryBody(header, blobs), Integer.toString(headerLength(header)));
  }

  @ParameterizedTest
  @EnumSource(value = DataType.class, names = "BYTES", mode = EnumSource.Mode.EXCLUDE)
  void decodesEveryFixedTypeFromItsBlob(DataType type) {
    byte[] blob = new byte[6 * type.byteSize()];
    new Random(type.ordinal()).nextBytes(blob);
    if (type == DataType.BOOL) {
      for (int i = 0; i < blob.length; i++) {
        blob[i] &= 1;
      }
    }
    String header = "{'inputs':[{'name':'x','shape':[2,3],'datatype':'" + type + "','parameters':{'binary_data_size':"
        + blob.length + "}}]}";
    Tensor t = decode(service(TensorSpec.of("x", type, -1, 3)), header, blob).input().tensor("x");
    assertEquals(type, t.dataType());
    assertArrayEquals(new long[] {2, 3}, t.shape());
    assertTrue(t.buffer().isDirect(), "a heap body is copied once into direct memory");
    assertArrayEquals(blob, remaining(t.buffer()));
  }

  @Test
  void decodesBytesElementsExactlyIncludingEmptyAndNonUtf8() {
    byte[][] elements = {"héllo".getBytes(StandardCharsets.UTF_8), new byte[0], {(byte) 0xff, 0, (byte) 0xfe}};
    byte[] blob = bytesBlob(elements);
    String header = "{'inputs':[{'name':'t','shape':[3],'datatype':'BYTES','parameters':{'binary_data_size':"
        + blob.length + "}}]}";
    List<byte[]> got = decode(service(TensorSpec.of("t", DataType.BYTES, -1)), header, blob).input().tensor("t").elements();
    assertEquals(3, got.size());
    for (int i = 0; i < elements.length; i++) {
      assertArrayEquals(elements[i], got.get(i));
    }
  }

  @Test
  void blobsFollowTheJsonOrderAndMixWithJsonData() {
    ServiceDescriptor s = service(TensorSpec.of("a", DataType.INT32, -1), TensorSpec.of("b", DataType.INT64, -1),
        TensorSpec.of("c", DataType.BYTES, -1));
    byte[] b = le(16).putLong(7).putLong(-8).array();
    byte[] a = le(4).putInt(42).array();
    // JSON order b, c (JSON data), a: so the blobs are b's then a's, not the descriptor's a, b.
    String header = "{'inputs':[{'name':'b','shape':[2],'datatype':'INT64','parameters':{'binary_data_size':16}},"
        + "{'name':'c','shape':[1],'datatype':'BYTES','data':['hi']},"
        + "{'name':'a','shape':[1],'datatype':'INT32','parameters':{'binary_data_size':4}}],"
        + "'outputs':[{'name':'y','parameters':{'binary_data':true}}]}";
    OipRequest r = decode(s, header, b, a);
    assertArrayEquals(new int[] {42}, r.input().tensor("a").toIntArray());
    assertArrayEquals(new long[] {7, -8}, r.input().tensor("b").toLongArray());
    assertEquals(List.of("hi"), r.input().tensor("c").strings());
    assertEquals(List.of(new RequestedOutput("y", true)), r.outputs());
  }

  @Test
  void aDirectBodyIsSlicedWithoutCopying() {
    ServiceDescriptor s = service(TensorSpec.of("x", DataType.FP32, -1));
    String header = OipFixtures.json("{'inputs':[{'name':'x','shape':[2],'datatype':'FP32','parameters':{'binary_data_size':8}}]}");
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuf direct = Unpooled.directBuffer(json.length + 8).writeBytes(json).writeFloatLE(1.5f).writeFloatLE(-2f);
    Buffer body = BufferInternal.buffer(direct);
    Tensor t = OipRequestDecoder.create(s).decodeBinary(body, json.length).input().tensor("x");
    assertArrayEquals(new float[] {1.5f, -2f}, t.toFloatArray());
    direct.setFloatLE(json.length, 9f); // the tensor views the body's memory
    assertEquals(9f, t.toFloatArray()[0]);
  }

  @Test
  void fp16TravelsOnlyAsBinary() {
    byte[] blob = le(4).putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-0.25f)).array();
    String header = "{'inputs':[{'name':'h','shape':[2],'datatype':'FP16','parameters':{'binary_data_size':4}}]}";
    Tensor t = decode(service(TensorSpec.of("h", DataType.FP16, -1)), header, blob).input().tensor("h");
    assertEquals(-0.25f, Float.float16ToFloat(t.buffer().getShort(2)));
  }

  @Test
  void theSpecsBinaryExampleShapeDecodes() {
    // Triton's example: input0 [2,2] of 16 bytes and input1 BOOL [3] of 3 bytes (INT32 for UINT32, see DataType).
    ServiceDescriptor s = ServiceDescriptor.builder("mymodel", "1.0.0").price(io.infergate.plugin.api.Price.free())
        .input(TensorSpec.of("input0", DataType.INT32, 2, 2)).input(TensorSpec.of("input1", DataType.BOOL, 3))
        .output(TensorSpec.of("output0", DataType.FP32, 3, 2)).build();
    String header = "{'model_name':'mymodel','inputs':["
        + "{'name':'input0','shape':[2,2],'datatype':'INT32','parameters':{'binary_data_size':16}},"
        + "{'name':'input1','shape':[3],'datatype':'BOOL','parameters':{'binary_data_size':3}}],"
        + "'outputs':[{'name':'output0','parameters':{'binary_data':true}}]}";
    OipRequest r = decode(s, header, le(16).putInt(1).putInt(2).putInt(3).putInt(4).array(), new byte[] {1, 0, 1});
    assertArrayEquals(new int[] {1, 2, 3, 4}, r.input().tensor("input0").toIntArray());
    assertArrayEquals(new byte[] {1, 0, 1}, remaining(r.input().tensor("input1").buffer()));
  }
}
