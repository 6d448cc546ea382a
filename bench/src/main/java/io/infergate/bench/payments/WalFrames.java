package io.infergate.bench.payments;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Locale;
import java.util.TreeMap;

/**
 * What a paid call's commit writes to the SQLite ledger's WAL: pages (frames) and bytes per commit, for charges
 * with their receipts, as the node commits them ({@link PaymentCostBenchmark#ledger_chargeWithReceipt}). Each
 * frame costs the committing worker two {@code pwrite} calls and adds a page to the group fsync, so this is the
 * count a schema or pragma change should lower.
 *
 * <p>It runs {@code warmup} charges, then {@code charges} more, and reads the WAL's frame headers (page number,
 * commit marker, salts) from the current WAL generation: the commits since the last checkpoint reset.
 *
 * <pre>{@code java --enable-native-access=ALL-UNNAMED -cp bench/target/infergate-bench.jar \
 *     io.infergate.bench.payments.WalFrames [charges] [warmup]}</pre>
 */
public final class WalFrames {
  private static final int WAL_HEADER = 32;
  private static final int FRAME_HEADER = 24;

  private WalFrames() {}

  public static void main(String[] args) throws Exception {
    int charges = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    PaymentCostBenchmark.Ledger ledger = new PaymentCostBenchmark.Ledger();
    ledger.fsync = false;
    ledger.open();
    PaymentCostBenchmark.Receipts receipts = new PaymentCostBenchmark.Receipts();
    receipts.open(ledger);
    PaymentCostBenchmark.Payer payer = new PaymentCostBenchmark.Payer();
    payer.init(ledger, true);
    payer.sync(ledger);
    PaymentCostBenchmark bench = new PaymentCostBenchmark();
    try {
      for (int i = 0; i < warmup + charges; i++) {
        payer.signNext();
        bench.ledger_chargeWithReceipt(ledger, receipts, payer);
      }
      byte[] wal = Files.readAllBytes(ledger.dir.resolve("ledger.sqlite-wal"));
      report(wal);
    } finally {
      receipts.close();
      ledger.close();
    }
  }

  /** Frames and bytes per commit in the WAL's current generation, and the pages written most often. */
  static void report(byte[] wal) {
    ByteBuffer b = ByteBuffer.wrap(wal);
    int pageSize = b.getInt(8);
    int salt1 = b.getInt(16);
    int salt2 = b.getInt(20);
    int frames = 0;
    int commits = 0;
    int inCommit = 0;
    int min = Integer.MAX_VALUE;
    int max = 0;
    TreeMap<Integer, Integer> perPage = new TreeMap<>();
    for (int off = WAL_HEADER; off + FRAME_HEADER + pageSize <= wal.length; off += FRAME_HEADER + pageSize) {
      if (b.getInt(off + 8) != salt1 || b.getInt(off + 12) != salt2) {
        break;     // a frame of an older generation: the current one ends here
      }
      frames++;
      inCommit++;
      perPage.merge(b.getInt(off), 1, Integer::sum);
      if (b.getInt(off + 4) != 0) {     // the commit frame holds the database size in pages
        commits++;
        min = Math.min(min, inCommit);
        max = Math.max(max, inCommit);
        inCommit = 0;
      }
    }
    if (commits == 0) {
      System.out.println("no complete commit in the WAL's current generation (a checkpoint just reset it): run more");
      return;
    }
    System.out.printf(Locale.ROOT, "page size %d B; %d commits: %.2f pages per commit (min %d, max %d), %.0f bytes"
        + " per commit, %.1f pwrite calls per commit%n", pageSize, commits, (double) frames / commits, min, max,
        (double) frames * (pageSize + FRAME_HEADER) / commits, 2.0 * frames / commits);
    System.out.println("pages written in more than a tenth of the commits (page: commits):");
    int total = commits;
    perPage.entrySet().stream().filter(e -> e.getValue() * 10 > total)
        .forEach(e -> System.out.printf(Locale.ROOT, "  %d: %d%n", e.getKey(), e.getValue()));
  }
}
