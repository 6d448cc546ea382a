package io.infergate.plugins.textembedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.InvalidInputException;
import io.infergate.plugin.api.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextEmbeddingJsonAdapterTest {
  private final TextEmbeddingJsonAdapter adapter = new TextEmbeddingJsonAdapter(32);

  @Test
  void textsBecomeOneBytesTensor() {
    Tensor t = adapter.decode(Map.of("texts", List.of("a", "b c"))).tensor("text");
    assertEquals(List.of("a", "b c"), t.strings());
  }

  @Test
  void badBodiesAreRejectedWithAMessageThatSaysWhat() {
    assertRejected(Map.of(), "'texts' is missing");
    assertRejected(Map.of("text", List.of("a")), "unknown field 'text'");
    assertRejected(Map.of("texts", "one text"), "'texts' must be an array of strings, got a string");
    assertRejected(Map.of("texts", Map.of()), "got an object");
    assertRejected(Map.of("texts", List.of("ok", 3)), "'texts[1]' must be a string, got a number");
    assertRejected(Map.of("texts", Arrays.asList("ok", null)), "'texts[1]' must be a string, got null");
    assertRejected(Map.of("texts", List.of()), "'texts' is empty");
    assertRejected(Map.of("texts", List.of("ok", "")), "'texts[1]' is empty or only white space");
    assertRejected(Map.of("texts", List.of(" \t\n ")), "'texts[0]' is empty or only white space");
    assertRejected(Map.of("texts", Collections.nCopies(33, "x")), "has 33 texts, at most 32");
    Map<String, Object> nullTexts = new HashMap<>();
    nullTexts.put("texts", null);
    assertRejected(nullTexts, "'texts' is missing");
  }

  @Test
  void encodesVectorsRowByRowWithTheTruncationReport() {
    InferenceOutput out = InferenceOutput.builder()
        .tensor("embedding", Tensor.ofFloats(new long[] {2, 2}, new float[] {1, 0, 0, 1}))
        .parameter("truncated", List.of(1))
        .parameter("max_tokens", 256)
        .build();
    Map<String, Object> body = adapter.encode(out);
    assertEquals(List.of(List.of(1f, 0f), List.of(0f, 1f)), body.get("embeddings"));
    assertEquals(2, body.get("dimensions"));
    assertEquals(List.of(1), body.get("truncated"));
    assertEquals(256, body.get("max_tokens"));
  }

  private void assertRejected(Map<String, Object> body, String expected) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> adapter.decode(body));
    assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
  }
}
