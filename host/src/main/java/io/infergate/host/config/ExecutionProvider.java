package io.infergate.host.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where ONNX Runtime runs models: {@code cpu}, or {@code cuda} / {@code cuda:N} for GPU {@code N}.
 *
 * @param kind the provider family
 * @param device the CUDA device ordinal (0 for CPU)
 */
public record ExecutionProvider(Kind kind, int device) {
  private static final Pattern SPEC = Pattern.compile("(cpu|cuda)(?::(\\d{1,3}))?");

  /** Provider families the host supports. */
  public enum Kind { CPU, CUDA }

  public static final ExecutionProvider CPU = new ExecutionProvider(Kind.CPU, 0);

  /** Parses {@code cpu}, {@code cuda} or {@code cuda:N}. */
  public static ExecutionProvider parse(String spec) {
    Matcher m = SPEC.matcher(spec == null ? "" : spec.trim().toLowerCase(java.util.Locale.ROOT));
    if (!m.matches() || (m.group(1).equals("cpu") && m.group(2) != null)) {
      throw new IllegalArgumentException("'" + spec + "' is not an execution provider; use cpu, cuda or cuda:N");
    }
    if (m.group(1).equals("cpu")) {
      return CPU;
    }
    return new ExecutionProvider(Kind.CUDA, m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
  }

  @Override
  public String toString() {
    return kind == Kind.CPU ? "cpu" : "cuda:" + device;
  }
}
