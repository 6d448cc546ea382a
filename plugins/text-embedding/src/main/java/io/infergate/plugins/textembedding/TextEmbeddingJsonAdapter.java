package io.infergate.plugins.textembedding;

import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.InvalidInputException;
import io.infergate.plugin.api.JsonServiceAdapter;
import io.infergate.plugin.api.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plain JSON route {@code POST /v1/services/text-embedding}.
 *
 * <pre>
 * request:  {"texts": ["A man is eating food.", "The sky is blue today."]}
 * response: {"embeddings": [[0.021, ...384 values], [...]], "dimensions": 384,
 *            "truncated": [], "max_tokens": 256, "model": "all-MiniLM-L6-v2 (int8)"}
 * </pre>
 * {@code truncated} lists the indexes of texts that were longer than {@code max_tokens} tokens and were
 * embedded from their beginning only.
 */
final class TextEmbeddingJsonAdapter implements JsonServiceAdapter {
  private static final String USAGE = "send {\"texts\": [\"first text\", \"second text\", ...]}";
  private final int maxBatchSize;

  TextEmbeddingJsonAdapter(int maxBatchSize) {
    this.maxBatchSize = maxBatchSize;
  }

  @Override
  public InferenceInput decode(Map<String, Object> body) {
    if (body == null) {
      throw new InvalidInputException("the body must be a JSON object: " + USAGE);
    }
    for (String key : body.keySet()) {
      if (!key.equals("texts")) {
        throw new InvalidInputException("unknown field '" + key + "': " + USAGE);
      }
    }
    Object texts = body.get("texts");
    if (texts == null) {
      throw new InvalidInputException("'texts' is missing: " + USAGE);
    }
    if (!(texts instanceof List<?> list)) {
      throw new InvalidInputException("'texts' must be an array of strings, got " + jsonType(texts) + ": " + USAGE);
    }
    List<String> strings = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s)) {
        throw new InvalidInputException("'texts[" + i + "]' must be a string, got " + jsonType(list.get(i)));
      }
      strings.add(s);
    }
    InputTexts.check(strings, "texts", maxBatchSize);
    return InferenceInput.of(Map.of("text", Tensor.ofStrings(strings)));
  }

  @Override
  public Map<String, Object> encode(InferenceOutput output) {
    Tensor embedding = output.tensor("embedding");
    long[] shape = embedding.shape();
    int rows = (int) shape[0];
    int dim = (int) shape[1];
    float[] values = embedding.toFloatArray();
    List<List<Float>> embeddings = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      List<Float> row = new ArrayList<>(dim);
      for (int d = 0; d < dim; d++) {
        row.add(values[r * dim + d]);
      }
      embeddings.add(row);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("embeddings", embeddings);
    body.put("dimensions", dim);
    body.put("truncated", output.parameters().getOrDefault("truncated", List.of()));
    body.put("max_tokens", output.parameters().getOrDefault("max_tokens", TextEmbeddingService.MAX_TOKENS));
    body.put("model", "all-MiniLM-L6-v2 (int8)");
    return body;
  }

  private static String jsonType(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof Map) {
      return "an object";
    }
    return "an array";
  }
}
