package io.infergate.plugins.textembedding;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.ModelInfo;
import io.infergate.plugin.api.ModelRunner;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test code only: a {@link ModelRunner} over a real ONNX Runtime session, so the service's {@code infer} can be
 * checked against the real model in the test's JVM. It is no imitation of the host: it runs the same ORT on
 * the same file; the host's own runner (pools, deadlines, EP choice) is exercised by the *IT tests.
 */
final class OrtModelRunner implements ModelRunner, AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final ModelInfo info;

  OrtModelRunner(String name, String contentId, Path onnxFile) throws OrtException {
    session = env.createSession(onnxFile.toString(), new OrtSession.SessionOptions());
    info = new ModelInfo(name, contentId, specs(session.getInputInfo()), specs(session.getOutputInfo()), "cpu");
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs) {
    return run(inputs, session.getOutputNames());
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
    Map<String, OnnxTensor> ortInputs = new HashMap<>();
    try {
      for (var e : inputs.entrySet()) {
        Tensor t = e.getValue();
        if (t.dataType() != DataType.INT64) {
          throw new IllegalArgumentException("this test runner feeds INT64 inputs only, got " + t);
        }
        ortInputs.put(e.getKey(), OnnxTensor.createTensor(env, t.buffer().asLongBuffer(), t.shape()));
      }
      Map<String, Tensor> out = new HashMap<>();
      try (OrtSession.Result result = session.run(ortInputs, outputs)) {
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

  @Override
  public void close() throws OrtException {
    session.close();
  }

  private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
    return nodes.values().stream().map(n -> {
      TensorInfo t = (TensorInfo) n.getInfo();
      DataType type = t.type == OnnxJavaType.INT64 ? DataType.INT64 : DataType.FP32;
      return TensorSpec.of(n.getName(), type, t.getShape());
    }).toList();
  }
}
