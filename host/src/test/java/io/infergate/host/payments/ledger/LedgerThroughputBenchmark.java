package io.infergate.host.payments.ledger;

import java.math.BigInteger;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the ledger costs per paid call on this machine. Not a test (no timed assertions); run by hand:
 *
 * <pre>
 * mvn -q -o test-compile -pl host &amp;&amp; mvn -q -o dependency:build-classpath -pl host -Dmdep.outputFile=cp.txt
 * java -cp host/target/test-classes:host/target/classes:$(cat host/cp.txt) \
 *     io.infergate.host.payments.ledger.LedgerThroughputBenchmark [sqlite|postgres:&lt;jdbc url&gt;] [threads=4] [calls=500]
 * </pre>
 * Each thread works its own channel, as independent consumers do: "gate sequence" is acquire, get,
 * recordCharge, release (what one paid call costs); "charge only" is recordCharge under a held lease
 * (the durable commit alone). Every charge is durable (SQLite synchronous=FULL; PostgreSQL synchronous commit).
 */
public final class LedgerThroughputBenchmark {
  private static final Duration TTL = Duration.ofSeconds(30);

  private LedgerThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    String spec = args.length > 0 ? args[0] : "sqlite";
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int calls = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    if (spec.equals("sqlite")) {
      spec = "sqlite:" + Files.createTempDirectory("ledger-bench").resolve("ledger.db");
    }
    try (ChannelLedger ledger = TestLedgers.open(spec, Clock.systemUTC())) {
      for (int round = 1; round <= 2; round++) {
        run(ledger, "gate sequence", threads, calls, round, true);
        run(ledger, "charge only", threads, calls, round, false);
      }
    }
  }

  private static void run(ChannelLedger ledger, String label, int threads, int calls, int round, boolean gate)
      throws InterruptedException {
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String id = TestLedgers.channelId(round * 1000 + t + (gate ? 0 : 500));
      ledger.upsertChannel(id, TestLedgers.CONFIG);
      workers.add(Thread.ofPlatform().unstarted(() -> calls(ledger, id, calls, gate)));
    }
    long start = System.nanoTime();
    workers.forEach(Thread::start);
    for (Thread w : workers) {
      w.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int total = threads * calls;
    System.out.printf("round %d %-14s %d threads: %6d calls in %5.2f s = %7.0f calls/s, %6.0f us per call per thread%n",
        round, label, threads, total, seconds, total / seconds, seconds * 1e6 / calls);
  }

  private static void calls(ChannelLedger ledger, String id, int calls, boolean gate) {
    ChannelLease held = gate ? null : ledger.acquire(id, "bench", TTL);
    for (int i = 0; i < calls; i++) {
      ChannelLease lease = gate ? ledger.acquire(id, "bench", TTL) : held;
      ChannelState s = ledger.get(id).orElseThrow();
      BigInteger next = s.chargedCumulativeAmount().add(BigInteger.TEN);
      if (!ledger.recordCharge(lease, s.version(), next, next, TestLedgers.signatureFor(next)).committed()) {
        throw new IllegalStateException("refused");
      }
      if (gate) {
        ledger.release(lease);
      }
    }
    if (!gate) {
      ledger.release(held);
    }
  }
}
