package io.infergate.plugins.textembedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.plugin.api.InferenceContext;
import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.InvalidInputException;
import io.infergate.plugin.api.ModelInfo;
import io.infergate.plugin.api.ModelRunner;
import io.infergate.plugin.api.ServiceContext;
import io.infergate.plugin.api.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import io.infergate.host.ipfs.unixfs.UnixFsImporter;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code infer} in the test's JVM against the real model file the build prepared, run by real ONNX Runtime
 * through {@link OrtModelRunner}. The same properties are checked through a real host in TextEmbeddingIT.
 */
class TextEmbeddingServiceTest {
  private static OrtModelRunner runner;
  private static TextEmbeddingService service;

  @BeforeAll
  static void open() throws Exception {
    Path modelFile = Path.of(System.getProperty("textembedding.modelDirectory", "target/models"))
        .resolve("all-minilm-l6-v2-q.onnx");
    String contentId = TextEmbeddingService.DESCRIPTOR.models().get(0).contentId();
    assertEquals(contentId, UnixFsImporter.create().importFile(modelFile, block -> { }).root().toString(),
        "the descriptor's CID");
    runner = new OrtModelRunner("encoder", contentId, modelFile);
    service = new TextEmbeddingService();
    service.open(new ServiceContext() {
      public ModelInfo model(String name) {
        return runner.info();
      }

      public Map<String, String> settings() {
        return Map.of();
      }

      public String apiVersion() {
        return "0.1.0";
      }
    });
  }

  @AfterAll
  static void close() throws Exception {
    runner.close();
  }

  @Test
  void similarSentencesAreCloserThanUnrelatedOnes() {
    float[][] v = embed("A man is eating food.", "A man is eating a piece of bread.", "The sky is blue today.");
    double related = dot(v[0], v[1]);
    double unrelated = dot(v[0], v[2]);
    System.out.printf("cosine(food, bread) = %.4f, cosine(food, sky) = %.4f%n", related, unrelated);
    assertTrue(related > unrelated + 0.3, "related " + related + " vs unrelated " + unrelated);
  }

  @Test
  void everyVectorHasUnitNorm() {
    for (float[] row : embed("short", "A somewhat longer sentence with more words in it.", "東京")) {
      assertEquals(1.0, Math.sqrt(dot(row, row)), 1e-5);
    }
  }

  @Test
  void aBatchOfOneTextRepeatedGivesExactlyTheSingleCallVector() {
    float[] single = embed("A man is eating food.")[0];
    for (float[] row : embed("A man is eating food.", "A man is eating food.", "A man is eating food.")) {
      assertArrayEquals(single, row, 1e-6f);
    }
  }

  /**
   * Regression guard for a property of this int8 model, not of the plugin: its activations are quantized
   * per tensor at run time (24 DynamicQuantizeLinear nodes), so the scale of every layer depends on all the
   * rows of the batch, padding included. A text's vector therefore moves a little with its batch-mates: the
   * same-length pair below moves up to about 0.02 per component; a short text padded next to a long one
   * keeps a cosine of about 0.98 to its single-call vector. One run per call keeps a call's answer a pure
   * function of its request (what receipts need); merging different requests into one run would not.
   */
  @Test
  void aMixedBatchStaysCloseToSingleCalls() {
    String[] texts = {"A man is eating food.", "Short.", "The sky is blue today, and the sun is shining brightly."};
    float[][] batch = embed(texts);
    double worstDiff = 0;
    double worstCosine = 1;
    for (int i = 0; i < texts.length; i++) {
      float[] single = embed(texts[i])[0];
      worstCosine = Math.min(worstCosine, dot(single, batch[i]));
      for (int d = 0; d < single.length; d++) {
        worstDiff = Math.max(worstDiff, Math.abs(single[d] - batch[i][d]));
      }
    }
    System.out.printf("batch vs single: largest component difference %.3g, lowest cosine %.4f%n", worstDiff,
        worstCosine);
    assertTrue(worstCosine > 0.95, "lowest cosine " + worstCosine);
    // Meaning survives batching: the food/bread/sky ordering holds inside one batch too.
    float[][] v = embed("A man is eating food.", "A man is eating a piece of bread.", "The sky is blue today.",
        "Short.");
    assertTrue(dot(v[0], v[1]) > dot(v[0], v[2]) + 0.3);
  }

  @Test
  void aLongTextIsTruncatedAndReported() {
    String longText = "word ".repeat(5000);
    InferenceOutput out = infer(List.of("short text", longText));
    assertEquals(List.of(1), out.parameters().get("truncated"));
    assertEquals(256, out.parameters().get("max_tokens"));
    assertArrayEquals(new long[] {2, 384}, out.tensor("embedding").shape());
  }

  @Test
  void emptyAndUndecodableTextsAreRejected() {
    assertTrue(assertThrows(InvalidInputException.class, () -> infer(List.of("ok", "  ")))
        .getMessage().contains("'text[1]' is empty"));
    assertTrue(assertThrows(InvalidInputException.class, () -> infer(List.of("\u0001\u0002")))
        .getMessage().contains("nothing to embed"));
    Tensor badUtf8 = Tensor.ofBytes(new long[] {1}, List.of(new byte[] {(byte) 0xC3, (byte) 0x28}));
    assertTrue(assertThrows(InvalidInputException.class,
        () -> service.infer(InferenceInput.of(Map.of("text", badUtf8)), context()))
        .getMessage().contains("not valid UTF-8"));
  }

  static float[][] embed(String... texts) {
    float[] flat = infer(List.of(texts)).tensor("embedding").toFloatArray();
    float[][] rows = new float[texts.length][384];
    for (int i = 0; i < texts.length; i++) {
      System.arraycopy(flat, i * 384, rows[i], 0, 384);
    }
    return rows;
  }

  private static InferenceOutput infer(List<String> texts) {
    List<byte[]> raw = texts.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    return service.infer(InferenceInput.of(Map.of("text", Tensor.ofBytes(new long[] {raw.size()}, raw))), context());
  }

  private static InferenceContext context() {
    return new InferenceContext() {
      public ModelRunner model(String name) {
        assertEquals("encoder", name);
        return runner;
      }

      public Instant deadline() {
        return Instant.now().plusSeconds(30);
      }

      public String requestId() {
        return "test";
      }
    };
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
