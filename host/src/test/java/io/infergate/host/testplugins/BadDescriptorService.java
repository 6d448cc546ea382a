package io.infergate.host.testplugins;

import io.infergate.plugin.api.AiService;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.InferenceContext;
import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.Price;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.TensorSpec;
import org.pf4j.Extension;

/** A service whose descriptor is invalid (a name with a space). */
@Extension
public final class BadDescriptorService implements AiService {
  @Override
  public ServiceDescriptor descriptor() {
    return ServiceDescriptor.builder("Bad Name", "1.0.0")
        .input(TensorSpec.of("x", DataType.FP32, -1))
        .output(TensorSpec.of("y", DataType.FP32, -1))
        .price(Price.free())
        .build();
  }

  @Override
  public InferenceOutput infer(InferenceInput input, InferenceContext context) {
    throw new UnsupportedOperationException();
  }
}
