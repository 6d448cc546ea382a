package io.infergate.host.oip;

import static io.infergate.host.oip.OipFixtures.bytesBlob;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infergate.host.errors.BadRequestException;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.Price;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The codec behind a real Vert.x server and a real HTTP client, wired the way the routes will be: the body
 * as Vert.x reads it goes into the decoder, the encoder's buffer (a composite over the tensors' memory when
 * binary) goes out with its headers. This pins that the zero-copy response survives the trip over a socket.
 */
class OverHttpTest {
  private static final ServiceDescriptor S = ServiceDescriptor.builder("scale", "1.0.0").price(Price.free())
      .input(TensorSpec.of("x", DataType.FP32, -1)).input(TensorSpec.of("tag", DataType.BYTES, -1))
      .output(TensorSpec.of("y", DataType.FP32, -1)).output(TensorSpec.of("tag", DataType.BYTES, -1))
      .build();
  private static Vertx vertx;
  private static int port;
  private static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    OipRequestDecoder decoder = OipRequestDecoder.create(S);
    OipResponseEncoder encoder = OipResponseEncoder.create(S);
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      try {
        OipRequest r = decoder.decode(body, req.getHeader(OipRequestDecoder.HEADER_LENGTH));
        float[] x = r.input().tensor("x").toFloatArray();
        for (int i = 0; i < x.length; i++) {
          x[i] *= 2;
        }
        InferenceOutput out = InferenceOutput.builder().tensor("y", Tensor.ofFloats(new long[] {x.length}, x))
            .tensor("tag", r.input().tensor("tag")).build();
        EncodedResponse e = encoder.encode(r, out);
        e.headers().forEach(req.response()::putHeader);
        req.response().end(e.body());
      } catch (BadRequestException e) {
        req.response().setStatusCode(400).end("{\"error\":\"" + e.getMessage() + "\"}");
      } catch (RuntimeException e) {
        // Never leave the client waiting: an unexpected failure answers 500 with what it was.
        req.response().setStatusCode(500).end("{\"error\":\"" + e + "\"}");
      }
    }).onFailure(e -> req.response().setStatusCode(500).end("{\"error\":\"reading the body failed: " + e + "\"}")))
        .listen(0).toCompletionStage().toCompletableFuture().get();
    port = server.actualPort();
    client = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  /** A response as the client saw it. */
  private record Response(int status, MultiMap headers, byte[] body) {}

  private static Response post(byte[] body, String headerLength) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/v2/models/scale/infer").setIdleTimeout(30_000);
    if (headerLength != null) {
      options.addHeader("Content-Type", "application/octet-stream").addHeader("Inference-Header-Content-Length", headerLength);
    }
    return client.request(options)
        .compose(req -> req.send(Buffer.buffer(body)))
        .compose(res -> res.body().map(b -> new Response(res.statusCode(), res.headers(), b.getBytes())))
        .toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void binaryRequestAndBinaryResponseOverASocket() throws Exception {
    String json = OipFixtures.json("{'inputs':["
        + "{'name':'x','shape':[3],'datatype':'FP32','parameters':{'binary_data_size':12}},"
        + "{'name':'tag','shape':[1],'datatype':'BYTES','parameters':{'binary_data_size':7}}],"
        + "'parameters':{'binary_data_output':true}}");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(json.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(-0.5f).putFloat(3f).array());
    body.writeBytes(bytesBlob("abc".getBytes()));

    Response response = post(body.toByteArray(), Integer.toString(json.length()));
    assertEquals(200, response.status(), () -> new String(response.body(), StandardCharsets.UTF_8));
    assertEquals("application/octet-stream", response.headers().get("Content-Type"));
    int h = Integer.parseInt(response.headers().get("Inference-Header-Content-Length"));
    byte[] bytes = response.body();
    assertEquals(h + 12 + 7, bytes.length);
    ByteBuffer y = ByteBuffer.wrap(bytes, h, 12).order(ByteOrder.LITTLE_ENDIAN);
    assertArrayEquals(new float[] {2f, -1f, 6f}, new float[] {y.getFloat(), y.getFloat(), y.getFloat()});
    assertArrayEquals(bytesBlob("abc".getBytes()), Arrays.copyOfRange(bytes, h + 12, bytes.length));
  }

  @Test
  void jsonRequestAndJsonResponseOverASocket() throws Exception {
    String json = OipFixtures.json("{'id':'a1','inputs':[{'name':'x','shape':[2],'datatype':'FP32','data':[0.1,2]},"
        + "{'name':'tag','shape':[1],'datatype':'BYTES','data':['t']}],'outputs':[{'name':'y'}]}");
    Response response = post(json.getBytes(StandardCharsets.UTF_8), null);
    assertEquals(200, response.status());
    assertEquals("application/json", response.headers().get("Content-Type"));
    assertEquals("{\"model_name\":\"scale\",\"model_version\":\"1.0.0\",\"id\":\"a1\",\"outputs\":[{\"name\":\"y\","
        + "\"datatype\":\"FP32\",\"shape\":[2],\"data\":[0.2,4.0]}]}", new String(response.body(), StandardCharsets.UTF_8));
  }
}
