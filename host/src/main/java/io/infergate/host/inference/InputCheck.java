package io.infergate.host.inference;

import io.infergate.host.errors.BadRequestException;
import io.infergate.host.errors.ServiceFailedException;
import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import java.util.Arrays;

/**
 * Checks inputs that a service's own JSON adapter produced. A batch above the service's limit is the
 * caller's doing (400); tensors that do not fit the descriptor are the adapter's bug (500).
 */
final class InputCheck {
  private InputCheck() {}

  static void check(ServiceDescriptor d, InferenceInput input) {
    for (TensorSpec spec : d.inputs()) {
      Tensor t = input.tensors().get(spec.name());
      if (t == null) {
        throw new ServiceFailedException("service '" + d.name() + "': its JSON adapter did not produce input '"
            + spec.name() + "'", null);
      }
      long[] shape = t.shape();
      if (t.dataType() != spec.dataType() || !spec.accepts(shape)) {
        throw new ServiceFailedException("service '" + d.name() + "': its JSON adapter produced input '" + spec.name()
            + "' as " + t.dataType() + Arrays.toString(shape) + " but the service declares " + spec, null);
      }
      if (spec.rank() > 0 && spec.shape()[0] == -1 && shape[0] > d.maxBatchSize()) {
        throw new BadRequestException("service '" + d.name() + "' takes at most " + d.maxBatchSize()
            + " items per call, got " + shape[0] + "; split the request");
      }
    }
  }
}
