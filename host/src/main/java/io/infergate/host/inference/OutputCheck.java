package io.infergate.host.inference;

import io.infergate.host.errors.ServiceFailedException;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import java.util.Arrays;

/** Holds a service to its own descriptor: what it returns must be what it declared. */
final class OutputCheck {
  private OutputCheck() {}

  static void check(ServiceDescriptor descriptor, InferenceOutput out) {
    if (out == null) {
      throw fail(descriptor, "returned no output");
    }
    for (TensorSpec spec : descriptor.outputs()) {
      Tensor t = out.tensors().get(spec.name());
      if (t == null) {
        throw fail(descriptor, "did not produce its declared output '" + spec.name() + "'");
      }
      if (t.dataType() != spec.dataType() || !spec.accepts(t.shape())) {
        throw fail(descriptor, "produced output '" + spec.name() + "' as " + t.dataType() + Arrays.toString(t.shape())
            + " but declared " + spec);
      }
    }
    for (String name : out.tensors().keySet()) {
      if (descriptor.output(name).isEmpty()) {
        throw fail(descriptor, "produced undeclared output '" + name + "'");
      }
    }
  }

  private static ServiceFailedException fail(ServiceDescriptor d, String what) {
    return new ServiceFailedException("service '" + d.name() + "' " + what + "; the call was not charged", null);
  }
}
