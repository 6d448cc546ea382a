package io.infergate.bench.tiny;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.infergate.bench.support.HostSessionOptions;
import io.infergate.bench.support.InProcessNode;
import io.infergate.plugin.api.Tensor;
import io.vertx.core.buffer.Buffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per call on the tiny model, one caller: ORT alone ({@code ort}) against the host's call path without
 * a socket, OIP JSON ({@code hostOip}) and the service's JSON route ({@code hostJson}). The difference is the
 * host's in-process overhead per call; {@code run-load.sh} adds HTTP on top. Sampled, not averaged: on a shared
 * 2-core machine the mean is dominated by other processes' preemptions, while the median (p0.50) is stable.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms512m", "-Xmx512m"})
@Threads(1)
public class HostOverheadBenchmark {
  /** The OIP v2 JSON request the load run sends to {@code /v2/models/tiny/infer}. */
  public static final String OIP_REQUEST =
      "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1.5,2.5,3.5,4.5]}]}";
  /** The JSON request the load run sends to {@code /v1/services/tiny}. */
  public static final String JSON_REQUEST = "{\"x\":[1.5,2.5,3.5,4.5]}";

  /** A bare session on the tiny model, with the host's settings. */
  @State(Scope.Benchmark)
  public static class Bare {
    OrtEnvironment env;
    OrtSession.SessionOptions options;
    OrtSession session;
    Tensor x;

    @Setup(Level.Trial)
    public void open() throws Exception {
      Path dir = Files.createTempDirectory("infergate-bench-tiny");
      env = OrtEnvironment.getEnvironment();
      options = new OrtSession.SessionOptions();
      session = HostSessionOptions.open(env, TinyPlugin.writeModel(dir), options);
      x = Tensor.ofFloats(new long[] {1, 4}, new float[] {1.5f, 2.5f, 3.5f, 4.5f});
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
      session.close();
      options.close();
    }
  }

  /** The host's call path, serving the tiny plugin from its zip. */
  @State(Scope.Benchmark)
  public static class Host {
    InProcessNode node;
    Buffer oip;
    byte[] json;

    @Setup(Level.Trial)
    public void start() throws Exception {
      Path dir = Files.createTempDirectory("infergate-bench-tiny");
      Path zip = TinyPlugin.writeZip(Files.createDirectories(dir.resolve("plugins")));
      TinyPlugin.writeModel(Files.createDirectories(dir.resolve("models")));
      node = InProcessNode.start(dir.resolve("work"), List.of(zip), List.of(dir.resolve("models")));
      oip = Buffer.buffer(OIP_REQUEST);
      json = JSON_REQUEST.getBytes(StandardCharsets.UTF_8);
      node.infer("tiny", oip);
      node.callJson("tiny", json);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      node.close();
    }
  }

  /** ORT alone: input tensor over the direct buffer, run, output copied out, everything closed. */
  @Benchmark
  public float[] ort(Bare s) throws OrtException {
    try (OnnxTensor in = OnnxTensor.createTensor(s.env, s.x.buffer().asFloatBuffer(), s.x.shape());
        OrtSession.Result r = s.session.run(Map.of("x", in))) {
      FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
      float[] out = new float[fb.remaining()];
      fb.get(out);
      return out;
    }
  }

  @Benchmark
  public Buffer hostOip(Host h) {
    return h.node.infer("tiny", h.oip);
  }

  @Benchmark
  public byte[] hostJson(Host h) throws Exception {
    return h.node.callJson("tiny", h.json);
  }
}
