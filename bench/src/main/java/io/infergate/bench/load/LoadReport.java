package io.infergate.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the load run next to the in-process figures, as Markdown tables.
 *
 * <p>Embedding rows compare HTTP throughput at concurrency c with JMH ops/s at min(c, 2) threads (the node runs
 * one worker per core, 2 here, so more in-process threads than that would only measure oversubscription).
 * Tiny-model rows give the host's overhead per call: HTTP latency at c = 1 minus ORT's own time in-process.
 *
 * <p>Input: {@code wrk.tsv} (endpoint, c, requests, duration µs, p50 µs, p99 µs, mean µs, errors) and JMH's
 * CSV; a missing CSV prints the in-process columns as "-".
 */
public final class LoadReport {
  private final Map<String, Double> jmh;

  private LoadReport(Map<String, Double> jmh) {
    this.jmh = jmh;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: LoadReport <wrk.tsv> <jmh.csv>");
      System.exit(2);
    }
    Path csv = Path.of(args[1]);
    LoadReport report = new LoadReport(Files.exists(csv) ? readJmh(csv) : Map.of());
    report.print(Files.readAllLines(Path.of(args[0])).stream().filter(l -> !l.isBlank()).map(Row::parse).toList());
  }

  /** One wrk run. */
  record Row(String endpoint, int concurrency, long requests, double durationMicros, double p50, double p99,
      double mean, long errors) {
    static Row parse(String line) {
      String[] f = line.split("\t");
      return new Row(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]),
          Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]), Long.parseLong(f[7]));
    }

    double throughput() {
      return requests / (durationMicros / 1e6);
    }
  }

  /** JMH scores by "method" or "method/batch", e.g. {@code ort_t1/1}, {@code hostOip}. */
  static Map<String, Double> readJmh(Path csv) throws IOException {
    Map<String, Double> scores = new HashMap<>();
    List<String> lines = Files.readAllLines(csv);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.replace("\"", "").split(",");
      // "io.….HostOverheadBenchmark.hostOip" or, for a SampleTime percentile, "io.….HostOverheadBenchmark.hostOip:p0.50"
      String name = f[0].substring(f[0].indexOf("Benchmark.") + "Benchmark.".length());
      String method = name.replace(":p", "@p");
      String batch = f.length > 7 ? f[7].trim() : "";
      scores.put(batch.isEmpty() ? method : method + "/" + batch, Double.parseDouble(f[4]));
    }
    return scores;
  }

  private void print(List<Row> rows) {
    System.out.println();
    System.out.println("### all-MiniLM-L6-v2 int8, 1 text per call: HTTP (wrk) vs in-process (JMH, batch 1)");
    System.out.println();
    System.out.println("| endpoint | c | req/s | p50 ms | p99 ms | errors | ORT alone ops/s (t) | plugin in-process ops/s"
        + " | host in-process ops/s | HTTP / ORT | HTTP / plugin |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      if (!r.endpoint().startsWith("embed")) {
        continue;
      }
      int t = Math.min(r.concurrency(), 2);
      Double ort = jmh.get("ort_t" + t + "/1");
      Double plugin = jmh.get("plugin_t" + t + "/1");
      Double host = jmh.get("host_t" + t + "/1");
      System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.2f | %.2f | %d | %s (%d) | %s | %s | %s | %s |%n",
          r.endpoint(), r.concurrency(), r.throughput(), r.p50() / 1000, r.p99() / 1000, r.errors(), fmt(ort), t,
          fmt(plugin), fmt(host), ratio(r.throughput(), ort), ratio(r.throughput(), plugin));
    }
    System.out.println();
    System.out.println("### tiny model (y = x + x, FP32 [1, 4]): HTTP (wrk) and the host's overhead per call");
    System.out.println();
    System.out.println("| endpoint | c | req/s | p50 µs | p99 µs | mean µs | errors | overhead at c=1: p50 − ORT p50 µs"
        + " | mean − ORT p50 µs |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    // Medians: the tiny model's times are a few µs, far below the preemptions of a shared machine.
    Double ortTiny = jmh.get("ort@p0.50");
    for (Row r : rows) {
      if (!r.endpoint().startsWith("tiny")) {
        continue;
      }
      boolean first = r.concurrency() == 1 && ortTiny != null;
      System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %d | %s | %s |%n", r.endpoint(),
          r.concurrency(), r.throughput(), r.p50(), r.p99(), r.mean(), r.errors(),
          first ? fmt(r.p50() - ortTiny) : "", first ? fmt(r.mean() - ortTiny) : "");
    }
    System.out.println();
    if (ortTiny != null) {
      Double oip = jmh.get("hostOip@p0.50");
      Double json = jmh.get("hostJson@p0.50");
      System.out.printf(Locale.ROOT, "In-process (JMH, no socket), tiny model, 1 thread, medians: ORT alone %.1f µs;"
          + " host OIP path %s µs (overhead %s); host JSON route %s µs (overhead %s). Means: ORT %s, OIP %s, JSON %s µs%n",
          ortTiny, fmt(oip), oip == null ? "-" : fmt(oip - ortTiny), fmt(json), json == null ? "-" : fmt(json - ortTiny),
          fmt(jmh.get("ort")), fmt(jmh.get("hostOip")), fmt(jmh.get("hostJson")));
      // The fastest call had no preemption at all: the host's own work, without waiting for a core.
      System.out.printf(Locale.ROOT, "Fastest call (p0.00): ORT %s, host OIP %s, host JSON %s µs%n",
          fmt(jmh.get("ort@p0.00")), fmt(jmh.get("hostOip@p0.00")), fmt(jmh.get("hostJson@p0.00")));
    }
    System.out.println("In-process embedding (JMH ops/s, batch 1 | batch 8 calls of 8 texts):");
    for (String m : List.of("ort_t1", "ort_t2", "plugin_t1", "plugin_t2", "host_t1", "host_t2")) {
      System.out.printf(Locale.ROOT, "  %-9s %s | %s%n", m, fmt(jmh.get(m + "/1")), fmt(jmh.get(m + "/8")));
    }
  }

  private static String fmt(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String ratio(double a, Double b) {
    return b == null ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
  }
}
