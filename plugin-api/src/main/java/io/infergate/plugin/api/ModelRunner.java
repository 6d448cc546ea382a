package io.infergate.plugin.api;

import java.util.Map;
import java.util.Set;

/**
 * Runs a host-owned model for the current call. Input tensors must match the model's inputs (see
 * {@link ModelInfo}); the returned tensors are copies the caller owns.
 */
public interface ModelRunner {

  /** Runs the model and returns every output by name. */
  Map<String, Tensor> run(Map<String, Tensor> inputs);

  /** Runs the model and returns only the named outputs. */
  Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs);

  ModelInfo info();
}
