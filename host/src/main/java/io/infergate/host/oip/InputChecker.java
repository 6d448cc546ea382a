package io.infergate.host.oip;

import io.infergate.host.errors.BadRequestException;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.TensorSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Checks the header of one request input (name, datatype, shape) against the service's signature, before
 * any of its data is read, so that the data reader can size its buffer from a shape already known to fit.
 */
final class InputChecker {
  /** OIP datatypes Infergate does not carry: ONNX Runtime Java has no unsigned wide types, and no BF16 path. */
  private static final Set<String> UNSUPPORTED = Set.of("UINT16", "UINT32", "UINT64", "BF16");
  private static final String SUPPORTED = Arrays.toString(DataType.values());

  private final ServiceDescriptor service;

  InputChecker(ServiceDescriptor service) {
    this.service = service;
  }

  /** The spec of the named input; 400 naming the model's inputs if there is none. */
  TensorSpec spec(String input) {
    return service.input(input).orElseThrow(() -> new BadRequestException("input '" + input
        + "' is not an input of model '" + service.name() + "'; its inputs are " + names(service.inputs())));
  }

  /** The datatype, which must be known and equal to the spec's. */
  DataType dataType(TensorSpec spec, String datatype) {
    DataType type = DataType.fromName(datatype).orElseThrow(() -> new BadRequestException(
        "input '" + spec.name() + "': datatype '" + datatype + "' is "
            + (UNSUPPORTED.contains(datatype) ? "not supported by Infergate" : "unknown")
            + "; this input takes " + spec.dataType() + " (supported: " + SUPPORTED + ")"));
    if (type != spec.dataType()) {
      throw new BadRequestException("input '" + spec.name() + "': datatype " + type
          + " does not match the model's " + spec.dataType() + "; send " + spec.dataType());
    }
    return type;
  }

  /**
   * Checks rank, fixed dimensions and the batch limit; returns the element count.
   * Negative dimensions were rejected while parsing.
   */
  long elementCount(TensorSpec spec, long[] shape) {
    long[] declared = spec.shape();
    String prefix = "input '" + spec.name() + "': shape " + Shapes.format(shape) + " does not match "
        + Shapes.format(declared);
    if (shape.length != declared.length) {
      throw new BadRequestException(prefix + " (rank " + shape.length + ", the model takes rank "
          + declared.length + "; -1 marks a dimension of any size)");
    }
    for (int i = 0; i < shape.length; i++) {
      if (declared[i] != -1 && declared[i] != shape[i]) {
        throw new BadRequestException(prefix + " (dimension " + i + " is " + shape[i] + ", the model needs "
            + declared[i] + ")");
      }
    }
    if (declared.length > 0 && declared[0] == -1 && shape[0] > service.maxBatchSize()) {
      throw new BadRequestException("input '" + spec.name() + "': batch size " + shape[0] + " (dimension 0 of "
          + Shapes.format(shape) + ") exceeds the maximum batch size " + service.maxBatchSize() + " of model '"
          + service.name() + "'; split the request into smaller batches");
    }
    long count = Shapes.elementCountOrOverflow(shape);
    if (count < 0) {
      throw new BadRequestException("input '" + spec.name() + "': shape " + Shapes.format(shape)
          + " has more elements than fit in a 64-bit count; check the shape");
    }
    return count;
  }

  /** Every input of the service must be present: none is optional in a TensorSpec signature. */
  void requireAll(Set<String> present) {
    for (TensorSpec spec : service.inputs()) {
      if (!present.contains(spec.name())) {
        throw new BadRequestException("input '" + spec.name() + "' is missing; model '" + service.name()
            + "' needs " + names(service.inputs()));
      }
    }
  }

  static String names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::name).toList().toString();
  }
}
