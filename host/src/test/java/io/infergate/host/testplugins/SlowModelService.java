package io.infergate.host.testplugins;

import io.infergate.plugin.api.AiService;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.InferenceContext;
import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.ModelRef;
import io.infergate.plugin.api.Price;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import java.util.Map;
import io.infergate.plugin.api.JsonServiceAdapter;
import java.util.Optional;
import org.pf4j.Extension;

/** A service whose model runs for seconds; only ORT's terminate flag can stop it early. */
@Extension
public final class SlowModelService implements AiService {
  @Override
  public ServiceDescriptor descriptor() {
    return ServiceDescriptor.builder("slow-model", "1.0.0")
        .input(TensorSpec.of("x", DataType.FP32, 1))
        .output(TensorSpec.of("y", DataType.FP32))
        .model(ModelRef.of("slow", TestModels.contentId(TestModels.SLOW)))
        .price(Price.free())
        .build();
  }

  @Override
  public InferenceOutput infer(InferenceInput input, InferenceContext context) {
    Map<String, Tensor> out = context.model("slow").run(Map.of("x", input.tensor("x")));
    return InferenceOutput.builder().tensor("y", out.get("y")).build();
  }

  @Override
  public Optional<JsonServiceAdapter> jsonAdapter() {
    return Optional.of(new FloatsAdapter());
  }
}
