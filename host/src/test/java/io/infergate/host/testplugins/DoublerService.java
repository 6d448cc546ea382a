package io.infergate.host.testplugins;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/** Doubles FP32 [batch, 4] through a real ORT model; a JSON route {"values": [[4 numbers], ...]}. */
@Extension
public final class DoublerService implements AiService {
  @Override
  public ServiceDescriptor descriptor() {
    return ServiceDescriptor.builder("doubler", "1.0.0")
        .description("y = 2x, through ONNX Runtime")
        .input(TensorSpec.of("x", DataType.FP32, -1, 4))
        .output(TensorSpec.of("y", DataType.FP32, -1, 4))
        .model(ModelRef.of("doubler", TestModels.contentId(TestModels.DOUBLER)))
        .price(Price.perCall(10))
        .maxBatchSize(8)
        .build();
  }

  @Override
  public InferenceOutput infer(InferenceInput input, InferenceContext context) {
    Map<String, Tensor> out = context.model("doubler").run(Map.of("x", input.tensor("x")));
    return InferenceOutput.builder().tensor("y", out.get("y")).parameter("doubled", true).build();
  }

  @Override
  public Optional<JsonServiceAdapter> jsonAdapter() {
    return Optional.of(new Adapter());
  }

  /** {"values": [[a,b,c,d], ...]} ⇄ {"doubled": [[...], ...]}. */
  public static final class Adapter implements JsonServiceAdapter {
    @Override
    public InferenceInput decode(Map<String, Object> body) {
      if (!(body.get("values") instanceof List<?> rows) || rows.isEmpty()) {
        throw new InvalidInputException("'values' must be a non-empty array of 4-number arrays");
      }
      float[] flat = new float[rows.size() * 4];
      for (int i = 0; i < rows.size(); i++) {
        if (!(rows.get(i) instanceof List<?> row) || row.size() != 4) {
          throw new InvalidInputException("values[" + i + "] must be an array of 4 numbers");
        }
        for (int j = 0; j < 4; j++) {
          if (!(row.get(j) instanceof Number n)) {
            throw new InvalidInputException("values[" + i + "][" + j + "] must be a number");
          }
          flat[i * 4 + j] = n.floatValue();
        }
      }
      return InferenceInput.of(Map.of("x", Tensor.ofFloats(new long[] {rows.size(), 4}, flat)));
    }

    @Override
    public Map<String, Object> encode(InferenceOutput output) {
      float[] y = output.tensor("y").toFloatArray();
      List<float[]> rows = new ArrayList<>();
      for (int i = 0; i < y.length; i += 4) {
        rows.add(new float[] {y[i], y[i + 1], y[i + 2], y[i + 3]});
      }
      return Map.of("doubled", rows);
    }
  }
}
