package io.infergate.plugin.api;

import java.util.List;

/**
 * A loaded model as the host sees it.
 *
 * @param name the name the descriptor gave it
 * @param contentId the verified content ID of its ONNX file
 * @param inputs the ONNX graph inputs ({@code -1} for symbolic dimensions)
 * @param outputs the ONNX graph outputs
 * @param executionProvider the execution provider actually in use, e.g. {@code cpu} or {@code cuda:0}
 */
public record ModelInfo(String name, String contentId, List<TensorSpec> inputs, List<TensorSpec> outputs,
    String executionProvider) {
  public ModelInfo {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
