package io.infergate.plugin.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inputs of one call: tensors by name, plus request parameters (OIP {@code parameters}).
 */
public final class InferenceInput {
  private final Map<String, Tensor> tensors;
  private final Map<String, Object> parameters;

  private InferenceInput(Map<String, Tensor> tensors, Map<String, Object> parameters) {
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  public static InferenceInput of(Map<String, Tensor> tensors) {
    return new InferenceInput(tensors, Map.of());
  }

  public static InferenceInput of(Map<String, Tensor> tensors, Map<String, Object> parameters) {
    return new InferenceInput(tensors, parameters);
  }

  public Map<String, Tensor> tensors() {
    return tensors;
  }

  /** The named input; throws {@link InvalidInputException} if the call did not send it. */
  public Tensor tensor(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new InvalidInputException("input tensor '" + name + "' is missing");
    }
    return t;
  }

  public Map<String, Object> parameters() {
    return parameters;
  }
}
