package io.infergate.plugin.api;

import java.util.Map;

/**
 * Maps a service's plain JSON API onto its tensors. JSON values arrive and leave as plain Java values:
 * {@code Map<String, Object>}, {@code List<Object>}, {@code String}, {@code Number}, {@code Boolean}, null.
 *
 * <pre>{@code
 * public InferenceInput decode(Map<String, Object> body) {
 *   return InferenceInput.of(Map.of("text", Tensor.ofStrings(texts(body))));
 * }
 * }</pre>
 */
public interface JsonServiceAdapter {

  /** Turns a request body into service inputs; throws {@link InvalidInputException} saying what is wrong. */
  InferenceInput decode(Map<String, Object> body);

  /** Turns the service's output into the response body. */
  Map<String, Object> encode(InferenceOutput output);
}
