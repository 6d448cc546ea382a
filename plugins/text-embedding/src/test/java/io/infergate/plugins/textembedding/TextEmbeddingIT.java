package io.infergate.plugins.textembedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.testkit.InfergateTestHost;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged plugin zip in a real Infergate host (plugin test kit), called over HTTP as a consumer would:
 * the JSON route {@code /v1/services/text-embedding} and the OIP route {@code /v2/models/text-embedding/infer}.
 */
class TextEmbeddingIT {
  private static final String ROUTE = "/v1/services/text-embedding";
  private static InfergateTestHost host;

  @BeforeAll
  static void start() {
    host = InfergateTestHost.builder()
        .plugin(PluginLayoutIT.ZIP)
        .modelDirectory(PluginLayoutIT.MODELS)
        .start();
  }

  @AfterAll
  static void stop() {
    if (host != null) {
      host.close();
    }
  }

  @Test
  void similarSentencesAreCloserThanUnrelatedOnes() {
    float[][] v = embed("A man is eating food.", "A man is eating a piece of bread.", "The sky is blue today.");
    assertTrue(dot(v[0], v[1]) > dot(v[0], v[2]) + 0.3, "food~bread " + dot(v[0], v[1]) + ", food~sky " + dot(v[0], v[2]));
  }

  @Test
  void everyVectorHas384DimensionsAndUnitNorm() {
    Map<String, Object> body = postOk("{\"texts\": [\"one\", \"A longer sentence, with punctuation!\", \"東京タワー\"]}");
    assertEquals(384L, body.get("dimensions"));
    for (float[] row : vectors(body)) {
      assertEquals(384, row.length);
      assertEquals(1.0, Math.sqrt(dot(row, row)), 1e-5);
    }
  }

  /**
   * A call's answer is a function of the call: the same texts give the same vectors every time, and a text
   * repeated in a batch gives its single-call vector. (Mixed batches stay within cosine 0.95 of single calls,
   * not 1e-5: the int8 model quantizes activations per batch; see TextEmbeddingServiceTest.)
   */
  @Test
  void batchesAreConsistentWithSingleCalls() {
    String text = "A man is eating food.";
    float[] single = embed(text)[0];
    assertArrayEquals(single, embed(text)[0], 0f);
    for (float[] row : embed(text, text, text)) {
      assertArrayEquals(single, row, 1e-5f);
    }
    float[][] mixed = embed(text, "Short.", "The sky is blue today, and the sun is shining brightly.");
    assertTrue(dot(single, mixed[0]) > 0.95);
    assertTrue(dot(embed("Short.")[0], mixed[1]) > 0.95);
  }

  @Test
  void aFiveThousandWordTextIsTruncatedAndFlagged() {
    String longText = Stream.generate(() -> "word").limit(5000).collect(Collectors.joining(" "));
    Map<String, Object> body = postOk("{\"texts\": [\"short\", \"" + longText + "\"]}");
    assertEquals(List.of(1L), body.get("truncated"));
    assertEquals(256L, body.get("max_tokens"));
    assertEquals(2, vectors(body).length);
  }

  @Test
  void badRequestsGet400WithAMessage() {
    assertRejected("{\"texts\": []}", "'texts' is empty");
    assertRejected("{\"texts\": [\"ok\", \"   \"]}", "'texts[1]' is empty or only white space");
    assertRejected("{\"texts\": \"not an array\"}", "'texts' must be an array of strings");
    assertRejected("{\"texts\": [\"ok\", 42]}", "'texts[1]' must be a string");
    assertRejected("{}", "'texts' is missing");
    String tooMany = Stream.generate(() -> "\"x\"").limit(33).collect(Collectors.joining(",", "{\"texts\": [", "]}"));
    assertRejected(tooMany, "at most 32");
    HttpResponse<String> malformed = host.postJson(ROUTE, "{\"texts\": [\"unterminated}");
    assertEquals(400, malformed.statusCode(), malformed.body());
    assertTrue(malformed.body().contains("\"error\""), malformed.body());
  }

  @Test
  void openInferenceProtocolCallWithABytesInput() {
    HttpResponse<String> r = host.postJson("/v2/models/text-embedding/infer", """
        {"inputs": [{"name": "text", "datatype": "BYTES", "shape": [2],
                     "data": ["A man is eating food.", "A man is eating a piece of bread."]}]}""");
    assertEquals(200, r.statusCode(), r.body());
    Map<String, Object> body = json(r.body());
    @SuppressWarnings("unchecked")
    Map<String, Object> out = ((List<Map<String, Object>>) body.get("outputs")).get(0);
    assertEquals("embedding", out.get("name"));
    assertEquals("FP32", out.get("datatype"));
    assertEquals(List.of(2L, 384L), out.get("shape"));
    float[] flat = floats((List<?>) out.get("data"));
    assertEquals(768, flat.length);
    float[] a = java.util.Arrays.copyOfRange(flat, 0, 384);
    float[] b = java.util.Arrays.copyOfRange(flat, 384, 768);
    float[][] viaJsonRoute = embed("A man is eating food.", "A man is eating a piece of bread.");
    assertArrayEquals(viaJsonRoute[0], a, 1e-6f);
    assertArrayEquals(viaJsonRoute[1], b, 1e-6f);

    HttpResponse<String> empty = host.postJson("/v2/models/text-embedding/infer", """
        {"inputs": [{"name": "text", "datatype": "BYTES", "shape": [1], "data": [" "]}]}""");
    assertEquals(400, empty.statusCode(), empty.body());
    assertTrue(empty.body().contains("'text[0]' is empty"), empty.body());
  }

  private static float[][] embed(String... texts) {
    String json = Stream.of(texts).map(WordPieceTokenizerAgreementTest::jsonString)
        .collect(Collectors.joining(",", "{\"texts\": [", "]}"));
    return vectors(postOk(json));
  }

  private static Map<String, Object> postOk(String json) {
    HttpResponse<String> r = host.postJson(ROUTE, json);
    assertEquals(200, r.statusCode(), r.body());
    return json(r.body());
  }

  private static void assertRejected(String json, String message) {
    HttpResponse<String> r = host.postJson(ROUTE, json);
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains(message), () -> "'" + r.body() + "' lacks '" + message + "'");
  }

  private static float[][] vectors(Map<String, Object> body) {
    List<?> rows = (List<?>) body.get("embeddings");
    float[][] out = new float[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      out[i] = floats((List<?>) rows.get(i));
    }
    return out;
  }

  private static float[] floats(List<?> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).floatValue();
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String body) {
    return (Map<String, Object>) JsonReader.parse(body);
  }

  private static double dot(float[] a, float[] b) {
    return TextEmbeddingServiceTest.dot(a, b);
  }
}
