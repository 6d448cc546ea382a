package io.infergate.host.oip;

import static io.infergate.host.oip.OipFixtures.assertRejected;
import static io.infergate.host.oip.OipFixtures.binaryBody;
import static io.infergate.host.oip.OipFixtures.body;
import static io.infergate.host.oip.OipFixtures.bytesBlob;
import static io.infergate.host.oip.OipFixtures.headerLength;
import static io.infergate.host.oip.OipFixtures.service;

import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.TensorSpec;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way a request can be wrong, each a 400 whose message names the problem. */
class RequestRejectionTest {
  private static final ServiceDescriptor TWO_INPUTS = service(8,
      TensorSpec.of("a", DataType.FP32, -1, 3), TensorSpec.of("b", DataType.INT64, -1));
  private static final String B = "{'name':'b','shape':[1],'datatype':'INT64','data':[1]}";

  private static String rejectJson(ServiceDescriptor s, String singleQuotedBody, String... fragments) {
    return assertRejected(() -> OipRequestDecoder.create(s).decodeJson(body(singleQuotedBody)), fragments);
  }

  private static String rejectA(String aJson, String... fragments) {
    return rejectJson(TWO_INPUTS, "{'inputs':[" + aJson + "," + B + "]}", fragments);
  }

  /** One input "x" of the given type and shape [-1], with the given data. */
  private static String rejectElement(DataType type, String data, String... fragments) {
    return rejectJson(service(TensorSpec.of("x", type, -1)),
        "{'inputs':[{'name':'x','shape':[1],'datatype':'" + type + "','data':" + data + "}]}", fragments);
  }

  // --- the document ---

  @Test
  void malformedJson() {
    rejectJson(TWO_INPUTS, "{'inputs':[", "the request body is not valid JSON");
  }

  @Test
  void malformedJsonSaysWhereWithoutJacksonNoise() {
    String message = rejectJson(TWO_INPUTS, "{'inputs':[}", "Unexpected close marker", "line: 1, column: 11");
    org.junit.jupiter.api.Assertions.assertFalse(message.contains("REDACTED"), message);
  }

  @Test
  void emptyBody() {
    rejectJson(TWO_INPUTS, "", "the request body is empty");
  }

  @Test
  void duplicateKeysAreMalformed() {
    rejectJson(TWO_INPUTS, "{'inputs':[],'inputs':[]}", "not valid JSON", "Duplicate field 'inputs'");
  }

  @Test
  void notAnObject() {
    rejectJson(TWO_INPUTS, "[1,2]", "must be a JSON object", "got an array");
  }

  @Test
  void trailingContentAfterTheObject() {
    rejectJson(TWO_INPUTS, "{'inputs':[]} {}", "more JSON after its closing");
  }

  @Test
  void missingInputs() {
    rejectJson(TWO_INPUTS, "{'id':'1'}", "has no 'inputs'", "[a, b]");
  }

  @Test
  void idMustBeAString() {
    rejectJson(TWO_INPUTS, "{'id':42,'inputs':[]}", "'id' must be a string", "got a number");
  }

  @Test
  void parametersMustBeScalars() {
    rejectJson(TWO_INPUTS, "{'parameters':{'p':[1]},'inputs':[]}", "parameter 'p' must be a string, number or boolean");
  }

  @Test
  void binaryDataOutputMustBeBoolean() {
    rejectJson(TWO_INPUTS, "{'parameters':{'binary_data_output':1},'inputs':[{'name':'a','shape':[1,3],"
        + "'datatype':'FP32','data':[1,2,3]}," + B + "]}", "'binary_data_output' must be true or false");
  }

  // --- which inputs ---

  @Test
  void unknownInputName() {
    rejectJson(TWO_INPUTS, "{'inputs':[{'name':'c','shape':[1],'datatype':'INT64','data':[1]}]}",
        "input 'c' is not an input of model 'm'", "[a, b]");
  }

  @Test
  void missingRequiredInput() {
    rejectJson(TWO_INPUTS, "{'inputs':[" + B + "]}", "input 'a' is missing", "needs [a, b]");
  }

  @Test
  void duplicateInput() {
    rejectJson(TWO_INPUTS, "{'inputs':[" + B + "," + B + "]}", "input 'b' appears more than once");
  }

  @Test
  void inputWithoutName() {
    rejectA("{'shape':[1,3],'datatype':'FP32','data':[1,2,3]}", "inputs[0] has no 'name'");
  }

  // --- datatype and shape ---

  @Test
  void unknownDatatype() {
    rejectA("{'name':'a','shape':[1,3],'datatype':'FLOAT','data':[1,2,3]}",
        "input 'a': datatype 'FLOAT' is unknown", "takes FP32");
  }

  @Test
  void unsupportedOipDatatype() {
    rejectA("{'name':'a','shape':[1,3],'datatype':'UINT32','data':[1,2,3]}",
        "datatype 'UINT32' is not supported by Infergate");
  }

  @Test
  void datatypeNotTheModels() {
    rejectA("{'name':'a','shape':[1,3],'datatype':'FP64','data':[1,2,3]}",
        "input 'a': datatype FP64 does not match the model's FP32");
  }

  @Test
  void rankMismatch() {
    rejectJson(service(TensorSpec.of("text", DataType.BYTES, -1)),
        "{'inputs':[{'name':'text','shape':[2,3],'datatype':'BYTES','data':['a','b','c','d','e','f']}]}",
        "input 'text': shape [2,3] does not match [-1]", "rank 2, the model takes rank 1");
  }

  @Test
  void fixedDimensionMismatch() {
    rejectA("{'name':'a','shape':[1,4],'datatype':'FP32','data':[1,2,3,4]}",
        "input 'a': shape [1,4] does not match [-1,3]", "dimension 1 is 4, the model needs 3");
  }

  @Test
  void negativeDimension() {
    rejectA("{'name':'a','shape':[-1,3],'datatype':'FP32','data':[1,2,3]}", "has a negative dimension");
  }

  @Test
  void shapeOfNonIntegers() {
    rejectA("{'name':'a','shape':[1.5,3],'datatype':'FP32','data':[1,2,3]}", "'shape' must be an array of integers");
  }

  @Test
  void batchLargerThanMaxBatchSize() {
    rejectJson(TWO_INPUTS, "{'inputs':[{'name':'a','shape':[9,3],'datatype':'FP32','data':[]}," + B + "]}",
        "input 'a': batch size 9", "exceeds the maximum batch size 8", "split the request");
  }

  @Test
  void shapeProductOverflowingLong() {
    ServiceDescriptor s = service(TensorSpec.of("x", DataType.FP32, 2, -1, -1));
    rejectJson(s, "{'inputs':[{'name':'x','shape':[2,4611686018427387904,4],'datatype':'FP32','data':[1]}]}",
        "more elements than fit in a 64-bit count");
  }

  @Test
  void hugeShapeWithATinyBodyIsRejectedBeforeAllocating() {
    ServiceDescriptor s = service(TensorSpec.of("x", DataType.FP64, 2, -1));
    rejectJson(s, "{'inputs':[{'name':'x','shape':[2,1000000000000],'datatype':'FP64','data':[1]}]}",
        "needs 2000000000000 elements but the JSON is only", "must equal the product of the shape");
  }

  // --- data ---

  @Test
  void theSpecsOwnExampleIsRejected() {
    // The OIP spec's example sends input1 with shape [3] and a single value. Our DataType has no UINT32, so
    // input0 is declared INT32 here; the literal example is covered by literalSpecExampleNamesUint32.
    ServiceDescriptor s = ServiceDescriptor.builder("mymodel", "1.0.0").price(io.infergate.plugin.api.Price.free())
        .input(TensorSpec.of("input0", DataType.INT32, 2, 2)).input(TensorSpec.of("input1", DataType.BOOL, 3))
        .output(TensorSpec.of("output0", DataType.FP32, 3, 2)).build();
    rejectJson(s, "{'id':'42','inputs':[{'name':'input0','shape':[2,2],'datatype':'INT32','data':[1,2,3,4]},"
        + "{'name':'input1','shape':[3],'datatype':'BOOL','data':[true]}],'outputs':[{'name':'output0'}]}",
        "input 'input1': data has 1 element but shape [3] needs 3");
  }

  @Test
  void literalSpecExampleNamesUint32() {
    ServiceDescriptor s = ServiceDescriptor.builder("mymodel", "1.0.0").price(io.infergate.plugin.api.Price.free())
        .input(TensorSpec.of("input0", DataType.INT32, 2, 2)).input(TensorSpec.of("input1", DataType.BOOL, 3))
        .output(TensorSpec.of("output0", DataType.FP32, 3, 2)).build();
    rejectJson(s, "{'id':'42','inputs':[{'name':'input0','shape':[2,2],'datatype':'UINT32','data':[1,2,3,4]},"
        + "{'name':'input1','shape':[3],'datatype':'BOOL','data':[true]}],'outputs':[{'name':'output0'}]}",
        "input 'input0': datatype 'UINT32' is not supported");
  }

  @Test
  void tooManyFlatElements() {
    rejectA("{'name':'a','shape':[1,3],'datatype':'FP32','data':[1,2,3,4]}", "more than the 3 elements");
  }

  @Test
  void raggedNestedData() {
    rejectA("{'name':'a','shape':[2,3],'datatype':'FP32','data':[[1,2,3],[4,5]]}",
        "nested data does not follow shape [2,3]", "2 elements where 3", "ragged");
  }

  @Test
  void nestedDataNotFollowingTheShape() {
    rejectA("{'name':'a','shape':[2,3],'datatype':'FP32','data':[[1,2],[3,4],[5,6]]}",
        "nested data does not follow shape [2,3]");
  }

  @Test
  void nestedDeeperThanTheShape() {
    rejectA("{'name':'a','shape':[1,3],'datatype':'FP32','data':[[[1],[2],[3]]]}", "deeper than shape [1,3]");
  }

  @Test
  void mixedScalarsAndArrays() {
    rejectA("{'name':'a','shape':[1,3],'datatype':'FP32','data':[1,[2],3]}", "mixes numbers and arrays");
  }

  @Test
  void dataNotAnArray() {
    rejectA("{'name':'a','shape':[1,3],'datatype':'FP32','data':'1,2,3'}", "'data' must be an array", "got a string");
  }

  @Test
  void noData() {
    rejectA("{'name':'a','shape':[1,3],'datatype':'FP32'}", "input 'a' has no 'data'");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "FP32  | ['2.5']                  | element 0 is the string \"2.5\", but FP32 elements must be a number",
      "FP64  | [true]                   | element 0 is true, but FP64 elements must be a number",
      "FP32  | [1e39]                   | out of the FP32 range",
      "INT64 | [1.5]                    | element 0 is 1.5, but INT64 elements must be an integer",
      "INT64 | [1e3]                    | INT64 elements must be an integer",
      "INT64 | [9223372036854775808]    | out of the INT64 range",
      "INT32 | [2147483648]             | 2147483648, out of the INT32 range",
      "INT16 | [-32769]                 | out of the INT16 range",
      "INT8  | [128]                    | 128, out of the INT8 range [-128, 127]",
      "UINT8 | [256]                    | out of the UINT8 range [0, 255]",
      "UINT8 | [-1]                     | out of the UINT8 range",
      "BOOL  | [1]                      | element 0 is 1, but BOOL elements must be true or false",
      "BOOL  | ['true']                 | BOOL elements must be true or false",
      "BYTES | [5]                      | BYTES elements must be a string",
      "FP32  | [null]                   | element 0 is null",
      "FP16  | [1.0]                    | FP16 data cannot be sent as JSON numbers; send it with the binary tensor extension",
  })
  void elementOfTheWrongJsonType(DataType type, String data, String message) {
    rejectElement(type, data, "input 'x': ", message);
  }

  // --- requested outputs ---

  @Test
  void unknownRequestedOutput() {
    rejectJson(TWO_INPUTS, "{'inputs':[],'outputs':[{'name':'z'}]}", "output 'z' is not an output of model 'm'", "[y]");
  }

  @Test
  void outputRequestedTwice() {
    rejectJson(TWO_INPUTS, "{'outputs':[{'name':'y'},{'name':'y'}],'inputs':[]}", "requested more than once");
  }

  @Test
  void binaryDataFlagMustBeBoolean() {
    rejectJson(TWO_INPUTS, "{'outputs':[{'name':'y','parameters':{'binary_data':'yes'}}],'inputs':[]}",
        "binary_data must be true or false");
  }

  // --- binary extension ---

  private static final ServiceDescriptor BIN = service(TensorSpec.of("x", DataType.INT32, -1, 2),
      TensorSpec.of("t", DataType.BYTES, -1));

  private static String rejectBinary(String header, String... fragments) {
    return rejectBinary(header, new byte[][] {new byte[16], bytesBlob("ab".getBytes())}, fragments);
  }

  private static String rejectBinary(String header, byte[][] blobs, String... fragments) {
    Buffer body = binaryBody(header, blobs);
    return assertRejected(() -> OipRequestDecoder.create(BIN).decode(body, Integer.toString(headerLength(header))),
        fragments);
  }

  @Test
  void binaryDataSizeNotMatchingTheShape() {
    rejectBinary("{'inputs':[{'name':'x','shape':[2,2],'datatype':'INT32','parameters':{'binary_data_size':15}},"
            + "{'name':'t','shape':[1],'datatype':'BYTES','parameters':{'binary_data_size':6}}]}",
        "input 'x': binary_data_size is 15 but shape [2,2] of INT32 needs 4 × 4 = 16 bytes");
  }

  @Test
  void binarySizesNotAddingUpToTheBody() {
    rejectBinary("{'inputs':[{'name':'x','shape':[2,2],'datatype':'INT32','parameters':{'binary_data_size':16}},"
            + "{'name':'t','shape':[1],'datatype':'BYTES','parameters':{'binary_data_size':7}}]}",
        "binary_data_size add up to 23 bytes but 22 bytes follow the JSON header");
  }

  @Test
  void bytesBlobWithTrailingBytes() {
    rejectBinary("{'inputs':[{'name':'x','shape':[2,2],'datatype':'INT32','parameters':{'binary_data_size':16}},"
            + "{'name':'t','shape':[1],'datatype':'BYTES','parameters':{'binary_data_size':7}}]}",
        new byte[][] {new byte[16], bytesBlob("ab".getBytes()), new byte[] {9}},
        "input 't': 1 bytes remain after the 1 BYTES elements");
  }

  @Test
  void bytesElementLongerThanItsBlob() {
    byte[] blob = bytesBlob("ab".getBytes());
    blob[0] = 3; // claims 3 bytes, 2 follow
    rejectBinary("{'inputs':[{'name':'x','shape':[2,2],'datatype':'INT32','parameters':{'binary_data_size':16}},"
            + "{'name':'t','shape':[1],'datatype':'BYTES','parameters':{'binary_data_size':6}}]}",
        new byte[][] {new byte[16], blob}, "input 't': BYTES element 0 declares 3 bytes but only 2 remain");
  }

  @Test
  void bytesBlobTooSmallForTheShape() {
    rejectBinary("{'inputs':[{'name':'x','shape':[2,2],'datatype':'INT32','parameters':{'binary_data_size':16}},"
            + "{'name':'t','shape':[9],'datatype':'BYTES','parameters':{'binary_data_size':6}}]}",
        "input 't': shape [9] needs 9 BYTES elements but binary_data_size 6 cannot hold that many");
  }

  @Test
  void hugeBinaryShapeWithATinyBody() {
    ServiceDescriptor s = service(TensorSpec.of("x", DataType.FP32, 2, -1));
    String header = "{'inputs':[{'name':'x','shape':[2,1000000000],'datatype':'FP32',"
        + "'parameters':{'binary_data_size':8000000000}}]}";
    Buffer body = binaryBody(header, new byte[8]);
    assertRejected(() -> OipRequestDecoder.create(s).decodeBinary(body, headerLength(header)),
        "add up to 8000000000 bytes but 8 bytes follow");
  }

  @Test
  void boolBytesOtherThanZeroOrOne() {
    ServiceDescriptor s = service(TensorSpec.of("x", DataType.BOOL, -1));
    String header = "{'inputs':[{'name':'x','shape':[3],'datatype':'BOOL','parameters':{'binary_data_size':3}}]}";
    Buffer body = binaryBody(header, new byte[] {0, 1, 2});
    assertRejected(() -> OipRequestDecoder.create(s).decodeBinary(body, headerLength(header)),
        "input 'x': BOOL element 2 is byte 2");
  }

  @Test
  void headerLengthLargerThanTheBody() {
    Buffer body = body("{'inputs':[]}");
    assertRejected(() -> OipRequestDecoder.create(BIN).decode(body, "500"),
        "Inference-Header-Content-Length is 500 but the body has only 13 bytes");
  }

  @Test
  void headerLengthNotANumber() {
    assertRejected(() -> OipRequestDecoder.create(BIN).decode(body("{}"), "12abc"),
        "Inference-Header-Content-Length '12abc' is not a byte count");
    assertRejected(() -> OipRequestDecoder.create(BIN).decode(body("{}"), "-1"), "is not a byte count");
  }

  @Test
  void rawBinaryRequestIsNotSupported() {
    assertRejected(() -> OipRequestDecoder.create(BIN).decode(Buffer.buffer(new byte[8]), "0"),
        "raw binary request", "not supported");
  }

  @Test
  void headerCutInsideTheJson() {
    Buffer body = body("{'inputs':[]}");
    assertRejected(() -> OipRequestDecoder.create(BIN).decode(body, "5"), "the JSON header is not valid JSON");
  }

  @Test
  void binaryDataSizeInAJsonOnlyRequest() {
    rejectJson(BIN, "{'inputs':[{'name':'x','shape':[1,2],'datatype':'INT32','parameters':{'binary_data_size':8}}]}",
        "input 'x' declares parameters.binary_data_size but the request has no binary part",
        "Inference-Header-Content-Length");
  }

  @Test
  void bothDataAndBinaryDataSize() {
    rejectBinary("{'inputs':[{'name':'x','shape':[2,2],'datatype':'INT32','parameters':{'binary_data_size':16},"
            + "'data':[1,2,3,4]},{'name':'t','shape':[1],'datatype':'BYTES','parameters':{'binary_data_size':6}}]}",
        "input 'x' has both 'data' and parameters.binary_data_size");
  }

  @Test
  void binaryDataSizeMustBeANonNegativeInteger() {
    rejectBinary("{'inputs':[{'name':'x','shape':[2,2],'datatype':'INT32','parameters':{'binary_data_size':-16}}]}",
        "parameters.binary_data_size must be a non-negative integer");
  }
}
