package io.infergate.bench.embedding;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.infergate.bench.support.BenchFiles;
import io.infergate.bench.support.DirectModelRunner;
import io.infergate.bench.support.HostSessionOptions;
import io.infergate.bench.support.InProcessNode;
import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugins.textembedding.TextEmbeddingService;
import io.vertx.core.buffer.Buffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Calls per second on all-MiniLM-L6-v2 (int8) for one fixed sentence, {@code batch} copies per call, from 1 and 2
 * threads sharing one session (the host's default: one worker per core on one session).
 *
 * <ul>
 *   <li>{@code ort_*}: the floor. ORT alone on the token IDs the plugin's tokenizer made for the sentence:
 *       tensors from direct buffers, run, output copied out.</li>
 *   <li>{@code plugin_*}: the plugin's {@code infer} over the same bare session: tokenizer, ORT, pooling and
 *       normalisation; what an application embedding the plugin's code would pay.</li>
 *   <li>{@code host_*}: the host's path without a socket ({@link InProcessNode}): OIP JSON decoding, the
 *       service executor (admission, deadline timer, worker hand-off, metrics), the plugin, OIP encoding.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms512m", "-Xmx512m"})
public class EmbeddingBenchmark {
  /** About 18 WordPiece tokens with [CLS] and [SEP]; close to the BRIEF's 16-token reference figure. */
  public static final String SENTENCE = "A man is eating a piece of bread while the sun sets over the quiet harbour.";

  /** The sentence repeated {@code batch} times. */
  static List<String> texts(int batch) {
    return Collections.nCopies(batch, SENTENCE);
  }

  /** A bare session with the host's settings, and the plugin's service opened on it. */
  @State(Scope.Benchmark)
  public static class Bare {
    @Param({"1", "8"})
    public int batch;

    OrtSession.SessionOptions options;
    OrtSession session;
    OrtEnvironment env;
    DirectModelRunner runner;
    TextEmbeddingService service;
    InferenceInput input;
    /** What the plugin's tokenizer fed the model for {@link #input}. */
    Map<String, Tensor> tokenIds;

    @Setup(Level.Trial)
    public void open() throws Exception {
      env = OrtEnvironment.getEnvironment();
      options = new OrtSession.SessionOptions();
      session = HostSessionOptions.open(env, BenchFiles.embeddingModel(), options);
      runner = new DirectModelRunner(env, session, "encoder");
      service = new TextEmbeddingService();
      service.open(runner.serviceContext());
      input = InferenceInput.of(Map.of("text", Tensor.ofStrings(texts(batch))));
      InferenceOutput out = service.infer(input, runner.callContext());
      if (out.tensor("embedding").shape()[0] != batch) {
        throw new IllegalStateException("unexpected output " + out.tensor("embedding"));
      }
      tokenIds = Map.copyOf(runner.lastInputs());
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
      session.close();
      options.close();
    }
  }

  /** The host's call path in-process, serving the example plugin's zip. */
  @State(Scope.Benchmark)
  public static class Host {
    @Param({"1", "8"})
    public int batch;

    InProcessNode node;
    Buffer body;
    Path work;

    @Setup(Level.Trial)
    public void start() throws Exception {
      work = Files.createTempDirectory("infergate-bench");
      node = InProcessNode.start(work, List.of(BenchFiles.embeddingPluginZip()), List.of(BenchFiles.embeddingModelDir()));
      body = Buffer.buffer(oipRequest(texts(batch)));
      node.infer("text-embedding", body);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      node.close();
    }
  }

  /** The OIP v2 JSON request the load run sends: one BYTES input {@code text}. */
  public static String oipRequest(List<String> texts) {
    StringBuilder data = new StringBuilder();
    for (String t : texts) {
      data.append(data.isEmpty() ? "" : ",").append('"').append(t).append('"');
    }
    return "{\"inputs\":[{\"name\":\"text\",\"shape\":[" + texts.size() + "],\"datatype\":\"BYTES\",\"data\":["
        + data + "]}]}";
  }

  public static float[] runOrt(Bare s) throws OrtException {
    Map<String, OnnxTensor> in = new HashMap<>();
    try {
      for (var e : s.tokenIds.entrySet()) {
        in.put(e.getKey(), OnnxTensor.createTensor(s.env, e.getValue().buffer().asLongBuffer(), e.getValue().shape()));
      }
      try (OrtSession.Result r = s.session.run(in, Set.of("last_hidden_state"))) {
        FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
      }
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  @Benchmark
  @Threads(1)
  public float[] ort_t1(Bare s) throws OrtException {
    return runOrt(s);
  }

  @Benchmark
  @Threads(2)
  public float[] ort_t2(Bare s) throws OrtException {
    return runOrt(s);
  }

  @Benchmark
  @Threads(1)
  public InferenceOutput plugin_t1(Bare s) {
    return s.service.infer(s.input, s.runner.callContext());
  }

  @Benchmark
  @Threads(2)
  public InferenceOutput plugin_t2(Bare s) {
    return s.service.infer(s.input, s.runner.callContext());
  }

  @Benchmark
  @Threads(1)
  public Buffer host_t1(Host h) {
    return h.node.infer("text-embedding", h.body);
  }

  @Benchmark
  @Threads(2)
  public Buffer host_t2(Host h) {
    return h.node.infer("text-embedding", h.body);
  }
}
