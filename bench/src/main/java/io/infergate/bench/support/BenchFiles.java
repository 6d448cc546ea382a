package io.infergate.bench.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where the benchmarks find the build's outputs. Paths are relative to the repository root (run from there),
 * or set with {@code -Dinfergate.bench.root=/path/to/repo}.
 */
public final class BenchFiles {
  private BenchFiles() {}

  public static Path root() {
    return Path.of(System.getProperty("infergate.bench.root", ".")).toAbsolutePath().normalize();
  }

  /** The directory holding all-MiniLM-L6-v2's ONNX file, as the plugin's build prepares it. */
  public static Path embeddingModelDir() {
    return existing(root().resolve("plugins/text-embedding/target/models"));
  }

  public static Path embeddingModel() {
    return onlyFile(embeddingModelDir(), ".onnx");
  }

  /** The example plugin's zip. */
  public static Path embeddingPluginZip() {
    return onlyFile(existing(root().resolve("plugins/text-embedding/target")), ".zip");
  }

  private static Path existing(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(dir + " does not exist: build first (mvn -q install -DskipTests) and run"
          + " from the repository root, or set -Dinfergate.bench.root");
    }
    return dir;
  }

  private static Path onlyFile(Path dir, String suffix) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().findFirst()
          .orElseThrow(() -> new IllegalStateException("no *" + suffix + " in " + dir + "; build the plugin first"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
