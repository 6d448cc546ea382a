package io.infergate.host.testplugins;

import io.infergate.plugin.api.AiService;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.InferenceContext;
import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.JsonServiceAdapter;
import io.infergate.plugin.api.Price;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.TensorSpec;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Answers y = x after a pause of 1.5 s, for 5 units: a call that is still running when the node is told
 * to stop, or killed.
 */
@Extension
public final class PauseService implements AiService {
  @Override
  public ServiceDescriptor descriptor() {
    return ServiceDescriptor.builder("pause", "1.0.0")
        .input(TensorSpec.of("x", DataType.FP32, -1))
        .output(TensorSpec.of("y", DataType.FP32, -1))
        .price(Price.perCall(5))
        .build();
  }

  @Override
  public InferenceOutput infer(InferenceInput input, InferenceContext context) throws InterruptedException {
    Thread.sleep(1500);
    return InferenceOutput.builder().tensor("y", input.tensor("x")).build();
  }

  @Override
  public Optional<JsonServiceAdapter> jsonAdapter() {
    return Optional.of(new FloatsAdapter());
  }
}
