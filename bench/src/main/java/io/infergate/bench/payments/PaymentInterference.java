package io.infergate.bench.payments;

import io.infergate.bench.embedding.EmbeddingBenchmark;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Does paying slow the inference next to it? One thread, in one JVM, blocks of 25 calls taken in turn:
 * {@code ort} (the embedding model alone), {@code pay} (the gate's sequence alone: decode, lease, verify,
 * charge, PAYMENT-RESPONSE; receipts off, no fsync wait) and {@code ort+pay} (one after the other, as a paid call's
 * worker does them), each part timed by its own thread CPU time. If the parts cost more together than apart,
 * they evict each other's caches: the cost of paying is then more than the payment steps' own figures.
 *
 * <pre>{@code java --enable-native-access=ALL-UNNAMED -cp bench/target/infergate-bench.jar \
 *     io.infergate.bench.payments.PaymentInterference [rounds] [fsync]}</pre>
 */
public final class PaymentInterference {
  private static final int BLOCK = 25;

  private PaymentInterference() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    boolean fsync = args.length > 1 && Boolean.parseBoolean(args[1]);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    EmbeddingBenchmark.Bare ort = new EmbeddingBenchmark.Bare();
    ort.batch = 1;
    ort.open();
    PaymentCostBenchmark.Ledger ledger = new PaymentCostBenchmark.Ledger();
    ledger.fsync = fsync;
    ledger.open();
    PaymentCostBenchmark.Payer payer = new PaymentCostBenchmark.Payer();
    payer.init(ledger, true);
    payer.sync(ledger);
    try {
      long[][] t = new long[4][rounds * BLOCK];   // ort alone, pay alone, ort in ort+pay, pay in ort+pay
      for (int warm = 0; warm < 2000; warm++) {   // JIT, ORT's memory patterns, SQLite's pages
        EmbeddingBenchmark.runOrt(ort);
        payer.signNext();
        pay(ledger, payer);
      }
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < BLOCK; i++) {
          long a = cpu.getCurrentThreadCpuTime();
          EmbeddingBenchmark.runOrt(ort);
          t[0][r * BLOCK + i] = cpu.getCurrentThreadCpuTime() - a;
        }
        for (int i = 0; i < BLOCK; i++) {
          payer.signNext();
          long a = cpu.getCurrentThreadCpuTime();
          pay(ledger, payer);
          t[1][r * BLOCK + i] = cpu.getCurrentThreadCpuTime() - a;
        }
        for (int i = 0; i < BLOCK; i++) {
          payer.signNext();
          long a = cpu.getCurrentThreadCpuTime();
          EmbeddingBenchmark.runOrt(ort);
          long b = cpu.getCurrentThreadCpuTime();
          pay(ledger, payer);
          long c = cpu.getCurrentThreadCpuTime();
          t[2][r * BLOCK + i] = b - a;
          t[3][r * BLOCK + i] = c - b;
        }
      }
      double[] med = printMedians(new String[] {"ort alone", "pay alone", "ort, next to pay", "pay, next to ort"}, t);
      System.out.printf(Locale.ROOT, "ort next to pay / alone %.2f; pay next to ort / alone %.2f; together over apart"
          + " %+.1f µs per call (fsync=%s)%n", med[2] / med[0], med[3] / med[1], med[2] + med[3] - med[0] - med[1],
          fsync);
    } finally {
      ledger.close();
      ort.close();
    }
  }

  /**
   * Sorts each row of {@code cpuNanos} (thread CPU per call), prints its median and p90 in µs under {@code names},
   * and returns the medians in µs.
   */
  static double[] printMedians(String[] names, long[][] cpuNanos) {
    int width = Arrays.stream(names).mapToInt(String::length).max().orElse(0);
    double[] med = new double[names.length];
    for (int v = 0; v < names.length; v++) {
      long[] s = cpuNanos[v];
      Arrays.sort(s);
      med[v] = s[s.length / 2] / 1000.0;
      System.out.printf(Locale.ROOT, "%-" + width + "s CPU median %8.1f µs  p90 %8.1f µs  (%d calls)%n", names[v],
          med[v], s[(int) (s.length * 0.9)] / 1000.0, s.length);
    }
    return med;
  }

  private static void pay(PaymentCostBenchmark.Ledger l, PaymentCostBenchmark.Payer p) throws Exception {
    PaymentCostBenchmark.gate(l, p, false);
  }
}
