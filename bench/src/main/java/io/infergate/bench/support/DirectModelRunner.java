package io.infergate.bench.support;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.InferenceContext;
import io.infergate.plugin.api.ModelInfo;
import io.infergate.plugin.api.ModelRunner;
import io.infergate.plugin.api.ServiceContext;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plugin's model over a bare ORT session: what a plugin's code costs in-process with no host around it.
 * Feeds INT64/FP32 inputs from the tensors' direct buffers (no copy, as the host does) and copies FP32 outputs
 * out. It also remembers the last inputs it was given, so a benchmark can replay exactly what the plugin fed
 * the model (its tokenizer's output) straight into ORT.
 */
public final class DirectModelRunner implements ModelRunner {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final ModelInfo info;
  private volatile Map<String, Tensor> lastInputs = Map.of();

  public DirectModelRunner(OrtEnvironment env, OrtSession session, String name) throws OrtException {
    this.env = env;
    this.session = session;
    this.info = new ModelInfo(name, "bench", specs(session.getInputInfo()), specs(session.getOutputInfo()), "cpu");
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs) {
    return run(inputs, session.getOutputNames());
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
    lastInputs = inputs;
    Map<String, OnnxTensor> ortInputs = new HashMap<>();
    try {
      for (var e : inputs.entrySet()) {
        Tensor t = e.getValue();
        ortInputs.put(e.getKey(), switch (t.dataType()) {
          case INT64 -> OnnxTensor.createTensor(env, t.buffer().asLongBuffer(), t.shape());
          case FP32 -> OnnxTensor.createTensor(env, t.buffer().asFloatBuffer(), t.shape());
          default -> throw new IllegalArgumentException("this runner feeds INT64 and FP32 only, got " + t);
        });
      }
      Map<String, Tensor> out = new HashMap<>();
      try (OrtSession.Result result = session.run(ortInputs, outputs.isEmpty() ? session.getOutputNames() : outputs)) {
        for (var e : result) {
          OnnxTensor o = (OnnxTensor) e.getValue();
          FloatBuffer fb = o.getFloatBuffer();
          float[] values = new float[fb.remaining()];
          fb.get(values);
          out.put(e.getKey(), Tensor.ofFloats(o.getInfo().getShape(), values));
        }
      }
      return out;
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    } finally {
      ortInputs.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  /** The inputs of the most recent run. */
  public Map<String, Tensor> lastInputs() {
    return lastInputs;
  }

  /** A service context that offers this runner's model under {@code name}. */
  public ServiceContext serviceContext() {
    return new ServiceContext() {
      @Override
      public ModelInfo model(String name) {
        return info;
      }

      @Override
      public Map<String, String> settings() {
        return Map.of();
      }

      @Override
      public String apiVersion() {
        return io.infergate.plugin.api.PluginApi.version();
      }
    };
  }

  /** A call context that hands out this runner for any model name, with no deadline. */
  public InferenceContext callContext() {
    return new InferenceContext() {
      @Override
      public ModelRunner model(String name) {
        return DirectModelRunner.this;
      }

      @Override
      public Instant deadline() {
        return Instant.MAX;
      }

      @Override
      public String requestId() {
        return "bench";
      }
    };
  }

  private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
    return nodes.values().stream().map(n -> {
      TensorInfo t = (TensorInfo) n.getInfo();
      DataType type = t.type == OnnxJavaType.INT64 ? DataType.INT64 : DataType.FP32;
      return TensorSpec.of(n.getName(), type, t.getShape());
    }).toList();
  }
}
