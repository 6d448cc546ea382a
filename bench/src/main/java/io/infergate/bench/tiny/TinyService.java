package io.infergate.bench.tiny;

import io.infergate.plugin.api.AiService;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.InferenceContext;
import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.InvalidInputException;
import io.infergate.plugin.api.JsonServiceAdapter;
import io.infergate.plugin.api.ModelRef;
import io.infergate.plugin.api.Price;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Service {@code tiny}: hands its input to the tiny model and returns the output, nothing else, so that a
 * call's time is the host's time. OIP input {@code x} FP32 [-1, 4], output {@code y}; JSON route
 * {@code {"x": [a, b, c, d]}} answers {@code {"y": [...]}}.
 */
@Extension
public final class TinyService implements AiService {
  static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.builder("tiny", "1.0.0")
      .description("y = x + x through ONNX Runtime; a benchmark of the host's own cost")
      .input(TensorSpec.of("x", DataType.FP32, -1, 4))
      .output(TensorSpec.of("y", DataType.FP32, -1, 4))
      .model(ModelRef.of(TinyOnnxModel.MODEL_NAME, TinyOnnxModel.contentId()))
      .price(Price.perCall(1))
      .maxBatchSize(8)
      .build();

  @Override
  public ServiceDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public InferenceOutput infer(InferenceInput input, InferenceContext context) {
    Map<String, Tensor> out = context.model(TinyOnnxModel.MODEL_NAME).run(Map.of("x", input.tensor("x")));
    return InferenceOutput.builder().tensor("y", out.get("y")).build();
  }

  @Override
  public Optional<JsonServiceAdapter> jsonAdapter() {
    return Optional.of(new Adapter());
  }

  /** {@code {"x": [4 numbers]}} ⇄ {@code {"y": [4 numbers]}}. */
  public static final class Adapter implements JsonServiceAdapter {
    @Override
    public InferenceInput decode(Map<String, Object> body) {
      if (!(body.get("x") instanceof List<?> x) || x.size() != 4) {
        throw new InvalidInputException("'x' must be an array of 4 numbers");
      }
      float[] values = new float[4];
      for (int i = 0; i < 4; i++) {
        if (!(x.get(i) instanceof Number n)) {
          throw new InvalidInputException("x[" + i + "] must be a number");
        }
        values[i] = n.floatValue();
      }
      return InferenceInput.of(Map.of("x", Tensor.ofFloats(new long[] {1, 4}, values)));
    }

    @Override
    public Map<String, Object> encode(InferenceOutput output) {
      return Map.of("y", output.tensor("y").toFloatArray());
    }
  }
}
