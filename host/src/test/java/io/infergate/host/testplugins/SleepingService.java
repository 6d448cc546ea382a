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

/** A service that hangs until it is interrupted (a plugin stuck in I/O, say). */
@Extension
public final class SleepingService implements AiService {
  @Override
  public ServiceDescriptor descriptor() {
    return ServiceDescriptor.builder("sleeping", "1.0.0")
        .input(TensorSpec.of("x", DataType.FP32, -1))
        .output(TensorSpec.of("y", DataType.FP32, -1))
        .price(Price.free())
        .build();
  }

  @Override
  public InferenceOutput infer(InferenceInput input, InferenceContext context) throws InterruptedException {
    Thread.sleep(Long.MAX_VALUE);
    throw new IllegalStateException("unreachable");
  }

  @Override
  public Optional<JsonServiceAdapter> jsonAdapter() {
    return Optional.of(new FloatsAdapter());
  }
}
