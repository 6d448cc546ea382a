package io.infergate.host.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The CPU instruction-set class ONNX Runtime's kernels dispatch on (MLAS picks AVX-512, AVX2/FMA, AVX or SSE code
 * paths at run time, and they round differently): {@code avx512f}, {@code avx2}, {@code avx}, {@code sse4_2} or
 * {@code baseline} on x86-64, read from {@code /proc/cpuinfo}; on other architectures (or without
 * {@code /proc/cpuinfo}) the architecture name alone, e.g. {@code aarch64}.
 */
public final class CpuClass {
  private static final String[] ORDER = {"avx512f", "avx2", "avx", "sse4_2"};
  private static volatile String detected;

  private CpuClass() {}

  /** This machine's class (read once). */
  public static String current() {
    String c = detected;
    if (c == null) {
      c = detect(Path.of("/proc/cpuinfo"), System.getProperty("os.arch"));
      detected = c;
    }
    return c;
  }

  /** The class from a {@code /proc/cpuinfo} file and an {@code os.arch} value. */
  static String detect(Path cpuinfo, String arch) {
    String a = arch == null ? "unknown" : arch.toLowerCase(Locale.ROOT);
    if (!a.equals("amd64") && !a.equals("x86_64")) {
      return a;
    }
    try {
      return fromFlags(Files.readAllLines(cpuinfo).stream()
          .filter(l -> l.startsWith("flags"))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .orElse(""));
    } catch (IOException | RuntimeException e) {
      return "x86_64-unknown";
    }
  }

  /** The class from the {@code flags} line of {@code /proc/cpuinfo}. */
  static String fromFlags(String flags) {
    Set<String> set = Set.of(flags.trim().split("\\s+"));
    for (String f : ORDER) {
      if (set.contains(f)) {
        return f;
      }
    }
    return "baseline";
  }
}
