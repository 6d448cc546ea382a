package io.infergate.host.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.RunOptions;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import io.infergate.plugin.api.ModelInfo;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ORT session owned by the host, with the options it was made with (ORT requires that options outlive
 * their session). {@link #run} may be called from many threads at once; every native object it creates is
 * closed before it returns.
 */
public final class ModelSession implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final SessionOptions options;
  private final ModelInfo info;

  ModelSession(OrtEnvironment env, OrtSession session, SessionOptions options, ModelInfo info) {
    this.env = env;
    this.session = session;
    this.options = options;
    this.info = info;
  }

  public ModelInfo info() {
    return info;
  }

  /**
   * Runs the model. {@code outputs} empty means every output. {@code runOptions} carries the call's
   * cancellation ({@link RunOptions#setTerminate}).
   */
  public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs, RunOptions runOptions)
      throws OrtException {
    for (String name : inputs.keySet()) {
      if (info.inputs().stream().noneMatch(s -> s.name().equals(name))) {
        throw new IllegalArgumentException("model '" + info.name() + "' has no input '" + name + "'; its inputs are "
            + info.inputs().stream().map(TensorSpec::name).toList());
      }
    }
    Map<String, OnnxTensor> ortInputs = new HashMap<>();
    try {
      for (var e : inputs.entrySet()) {
        ortInputs.put(e.getKey(), TensorBridge.toOrt(env, e.getKey(), e.getValue()));
      }
      Set<String> wanted = outputs.isEmpty() ? session.getOutputNames() : outputs;
      try (OrtSession.Result result = session.run(ortInputs, wanted, runOptions)) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, OnnxValue> e : result) {
          out.put(e.getKey(), TensorBridge.fromOrt(e.getKey(), e.getValue()));
        }
        return out;
      }
    } finally {
      ortInputs.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new ModelLoadException("closing model '" + info.name() + "' failed: " + e.getMessage(), e);
    } finally {
      options.close();
    }
  }

  static List<TensorSpec> specs(String model, Map<String, NodeInfo> nodes) {
    List<TensorSpec> out = new ArrayList<>();
    for (NodeInfo n : nodes.values()) {
      if (n.getInfo() instanceof TensorInfo ti) {
        out.add(TensorSpec.of(n.getName(), TensorBridge.dataType(model + "/" + n.getName(), ti.type), ti.getShape()));
      }
    }
    return out;
  }
}
