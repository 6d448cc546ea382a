package io.infergate.bench.embedding;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import ai.onnxruntime.OrtSession.RunOptions;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * ORT alone, the plugin in-process and the host's in-process path on the embedding model, in one JVM,
 * interleaved in short blocks, one caller: on a shared machine whose load moves by the minute, separate JMH
 * runs compare different machines; blocks of a few dozen calls taken in turn see the same one. Reports each
 * variant's median and p90 call time and the ratios of medians (= throughput ratios at c = 1).
 *
 * <pre>{@code java -cp bench/target/infergate-bench.jar io.infergate.bench.embedding.InterleavedComparison [rounds]}</pre>
 */
public final class InterleavedComparison {
  private static final int BLOCK = 25;

  private InterleavedComparison() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    EmbeddingBenchmark.Bare bare = new EmbeddingBenchmark.Bare();
    bare.batch = 1;
    bare.open();
    EmbeddingBenchmark.Host host = new EmbeddingBenchmark.Host();
    host.batch = 1;
    host.start();
    var session = host.node.modelSession("text-embedding", "encoder");
    ExecutorService other = Executors.newSingleThreadExecutor();
    // ort-hop: ORT alone, but run on another thread and joined, as the host's worker hand-off does.
    // host-session: the host's ModelSession (TensorBridge, RunOptions) on the caller's thread.
    List<String> names = List.of("ort", "plugin", "host", "ort-hop", "host-session");
    List<Callable<Object>> calls = List.of(() -> EmbeddingBenchmark.runOrt(bare),
        () -> bare.service.infer(bare.input, bare.runner.callContext()),
        () -> host.node.infer("text-embedding", host.body),
        () -> other.submit(() -> EmbeddingBenchmark.runOrt(bare)).get(),
        () -> {
          try (RunOptions run = new RunOptions()) {
            return session.run(bare.tokenIds, Set.of("last_hidden_state"), run);
          }
        });
    for (int i = 0; i < 300; i++) {       // warm-up: JIT, ORT's memory patterns
      for (Callable<Object> c : calls) {
        c.call();
      }
    }
    long[][] samples = new long[calls.size()][rounds * BLOCK];
    for (int r = 0; r < rounds; r++) {
      for (int v = 0; v < calls.size(); v++) {
        for (int i = 0; i < BLOCK; i++) {
          long t0 = System.nanoTime();
          calls.get(v).call();
          samples[v][r * BLOCK + i] = System.nanoTime() - t0;
        }
      }
    }
    double[] medians = new double[calls.size()];
    for (int v = 0; v < calls.size(); v++) {
      long[] s = samples[v];
      Arrays.sort(s);
      medians[v] = s[s.length / 2] / 1000.0;
      System.out.printf(Locale.ROOT, "%-7s median %8.1f µs  p90 %8.1f µs  (%d calls)%n", names.get(v), medians[v],
          s[(int) (s.length * 0.9)] / 1000.0, s.length);
    }
    System.out.printf(Locale.ROOT, "host/ort %.2f  host/plugin %.2f  plugin/ort %.2f (time ratios; throughput is the inverse)%n",
        medians[2] / medians[0], medians[2] / medians[1], medians[1] / medians[0]);
    System.out.printf(Locale.ROOT, "ort-hop/ort %.2f  host-session/ort %.2f%n", medians[3] / medians[0],
        medians[4] / medians[0]);
    other.shutdown();
    host.stop();
    bare.close();
  }
}
