package io.infergate.host.ipfs;

import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.car.CarExporter;
import io.infergate.host.ipfs.car.CarLimits;
import io.infergate.host.ipfs.cid.Multihash;
import io.infergate.host.ipfs.store.ContentStore;
import io.infergate.host.ipfs.store.ContentStoreOptions;
import io.infergate.host.ipfs.unixfs.FileAssembler;
import io.infergate.host.ipfs.unixfs.ImportResult;
import io.infergate.host.ipfs.unixfs.UnixFsImporter;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Throughput of the content path on this machine, next to raw SHA-256 (the physical limit of verification).
 * Not a test (no timed assertions); run by hand:
 *
 * <pre>
 * mvn -q -o test-compile -pl host
 * java -Xmx256m -cp host/target/test-classes:host/target/classes:$(cat cp.txt) \
 *     io.infergate.host.ipfs.ImportThroughputBenchmark [MB=128]
 * </pre>
 * With {@code -Xmx256m} a run over a file of any size also shows that memory stays bounded.
 */
public final class ImportThroughputBenchmark {
  public static void main(String[] args) throws Exception {
    int mb = args.length > 0 ? Integer.parseInt(args[0]) : 128;
    Path dir = Files.createTempDirectory("ipfs-bench");
    try {
      Path file = TestFiles.random(dir, "model.bin", (long) mb << 20, 1);
      long bytes = Files.size(file);
      for (int round = 0; round < 3; round++) {
        System.out.printf("round %d, %d MB file%n", round + 1, mb);
        report("sha-256 of the file (limit)", bytes, () -> sha256(file));
        report("import, hashing only (no store)", bytes, () -> UnixFsImporter.create().importFile(file, counting()));
        Path storeDir = dir.resolve("store" + round);
        ContentStore store = ContentStore.open(storeDir, ContentStoreOptions.defaults(), Executors.newSingleThreadExecutor());
        ImportResult[] r = new ImportResult[1];
        report("content store add (blocks + file)", bytes, () -> r[0] = store.add(file, true));
        Path out = dir.resolve("assembled" + round);
        report("verified assembly store -> file", bytes, () -> FileAssembler.create().assemble(r[0].root(), store, out));
        Path car = dir.resolve("export" + round + ".car");
        report("CAR export (verified)", bytes, () -> {
          try (OutputStream o = Files.newOutputStream(car)) {
            CarExporter.create(store.options().dagLimits()).export(r[0].root(), store, o);
          }
          return null;
        });
        ContentStore fresh = ContentStore.open(dir.resolve("fresh" + round), ContentStoreOptions.defaults(),
            Executors.newSingleThreadExecutor());
        report("CAR import + verified assembly (fetch path)", bytes, () -> {
          try (InputStream in = Files.newInputStream(car)) {
            return fresh.importCar(in, r[0].root());
          }
        });
        System.out.printf("  root %s, heap used %d MB (max %d MB)%n", r[0].root(),
            (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20, Runtime.getRuntime().maxMemory() >> 20);
        for (Path p : new Path[] {storeDir, dir.resolve("fresh" + round), out, car}) {
          delete(p);
        }
      }
    } finally {
      delete(dir);
    }
  }

  interface Work {
    Object run() throws Exception;
  }

  static void report(String what, long bytes, Work work) throws Exception {
    long t0 = System.nanoTime();
    work.run();
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("  %-45s %8.1f MB/s  (%.2f s)%n", what, bytes / 1048576.0 / s, s);
  }

  static BlockSink counting() {
    return b -> { };
  }

  static byte[] sha256(Path file) throws Exception {
    MessageDigest md = Multihash.newSha256();
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return md.digest();
  }

  static void delete(Path p) throws Exception {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
