package io.infergate.host.testplugins;

import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.InvalidInputException;
import io.infergate.plugin.api.JsonServiceAdapter;
import io.infergate.plugin.api.Tensor;
import java.util.List;
import java.util.Map;

/** {"x": [numbers]} → input x FP32 [n]; output y → {"y": [numbers]}. */
public final class FloatsAdapter implements JsonServiceAdapter {
  @Override
  public InferenceInput decode(Map<String, Object> body) {
    if (!(body.get("x") instanceof List<?> xs)) {
      throw new InvalidInputException("'x' must be an array of numbers");
    }
    float[] v = new float[xs.size()];
    for (int i = 0; i < v.length; i++) {
      if (!(xs.get(i) instanceof Number n)) {
        throw new InvalidInputException("x[" + i + "] must be a number");
      }
      v[i] = n.floatValue();
    }
    return InferenceInput.of(Map.of("x", Tensor.ofFloats(new long[] {v.length}, v)));
  }

  @Override
  public Map<String, Object> encode(InferenceOutput output) {
    return Map.of("y", output.tensor("y").toFloatArray());
  }
}
