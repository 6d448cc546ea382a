package io.infergate.host.testplugins;

import io.infergate.plugin.api.AiService;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.InferenceContext;
import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.Price;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.TensorSpec;
import io.infergate.plugin.api.JsonServiceAdapter;
import java.util.Optional;
import org.pf4j.Extension;

/** A service whose code throws on every call. */
@Extension
public final class FailingService implements AiService {
  @Override
  public ServiceDescriptor descriptor() {
    return ServiceDescriptor.builder("failing", "1.0.0")
        .input(TensorSpec.of("x", DataType.FP32, -1))
        .output(TensorSpec.of("y", DataType.FP32, -1))
        .price(Price.free())
        .build();
  }

  @Override
  public InferenceOutput infer(InferenceInput input, InferenceContext context) {
    throw new IllegalStateException("the plugin broke on purpose");
  }

  @Override
  public Optional<JsonServiceAdapter> jsonAdapter() {
    return Optional.of(new FloatsAdapter());
  }
}
