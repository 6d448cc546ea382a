package io.infergate.bench.payments;

import io.infergate.bench.embedding.EmbeddingBenchmark;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Does another thread's fsync slow the inference beside it? A paid node's ledger thread wakes about once per call
 * to write and fdatasync the WAL, and `perf` shows the paid node's ORT runs taking longer per call than the unpaid
 * node's. Here one thread runs the embedding model in blocks of 25 calls, timed by its own thread CPU time, while a
 * second thread in turn idles and runs the ledger's pattern: a 4 KB write and an fdatasync of a scratch file, then a
 * pause of {@code gapMicros}, again and again. Same JVM, same model, alternating blocks, so the machine's drift
 * falls on both.
 *
 * <pre>{@code java --enable-native-access=ALL-UNNAMED -cp bench/target/infergate-bench.jar \
 *     io.infergate.bench.payments.FsyncInterference [rounds] [gapMicros]}</pre>
 */
public final class FsyncInterference {
  private static final int BLOCK = 25;

  private static volatile boolean syncing;
  private static volatile boolean running = true;

  private FsyncInterference() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    long gapMicros = args.length > 1 ? Long.parseLong(args[1]) : 1000;
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    EmbeddingBenchmark.Bare ort = new EmbeddingBenchmark.Bare();
    ort.batch = 1;
    ort.open();
    Path dir = Files.createTempDirectory("fsync-interference");
    Path file = dir.resolve("wal");
    java.util.concurrent.atomic.AtomicLong fsyncs = new java.util.concurrent.atomic.AtomicLong();
    Thread syncer = Thread.ofPlatform().name("fsync").daemon().start(() -> {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        ByteBuffer page = ByteBuffer.allocateDirect(4096);
        long offset = 0;
        while (running) {
          if (!syncing) {
            LockSupport.parkNanos(200_000);
            continue;
          }
          page.clear();
          ch.write(page, offset);
          offset = (offset + 4096) % (4096L * 1024);     // overwrite a 4 MB region, as a reused WAL does
          ch.force(false);
          fsyncs.incrementAndGet();
          LockSupport.parkNanos(gapMicros * 1000);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    try {
      for (int warm = 0; warm < 2000; warm++) {
        EmbeddingBenchmark.runOrt(ort);
      }
      long[][] t = new long[2][rounds * BLOCK];    // ort with the other thread idle, ort with it fsyncing
      long syncsBefore = fsyncs.get();
      long busyNanos = 0;
      for (int r = 0; r < rounds; r++) {
        for (int mode = 0; mode < 2; mode++) {
          syncing = mode == 1;
          long start = System.nanoTime();
          for (int i = 0; i < BLOCK; i++) {
            long a = cpu.getCurrentThreadCpuTime();
            EmbeddingBenchmark.runOrt(ort);
            t[mode][r * BLOCK + i] = cpu.getCurrentThreadCpuTime() - a;
          }
          if (mode == 1) {
            busyNanos += System.nanoTime() - start;
          }
        }
      }
      syncing = false;
      double[] med = PaymentInterference.printMedians(
          new String[] {"ort, other thread idle", "ort, other thread fsyncing"}, t);
      System.out.printf(Locale.ROOT, "fsyncing / idle %.3f; %.0f fsyncs per second while on (gap %d µs)%n",
          med[1] / med[0], (fsyncs.get() - syncsBefore) / (busyNanos / 1e9), gapMicros);
    } finally {
      running = false;
      syncer.join();
      ort.close();
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }
}
