package io.infergate.bench.load;

import io.infergate.bench.embedding.EmbeddingBenchmark;
import io.infergate.bench.tiny.HostOverheadBenchmark;
import java.util.List;

/**
 * Prints one request body of the load run, so wrk and JMH send byte-identical requests.
 * {@code LoadRequests embed-oip|embed-json|tiny-oip|tiny-json|sentence}.
 */
public final class LoadRequests {
  private LoadRequests() {}

  public static void main(String[] args) {
    String which = args.length == 1 ? args[0] : "";
    System.out.print(switch (which) {
      case "embed-oip" -> EmbeddingBenchmark.oipRequest(List.of(EmbeddingBenchmark.SENTENCE));
      case "embed-json" -> "{\"texts\":[\"" + EmbeddingBenchmark.SENTENCE + "\"]}";
      case "tiny-oip" -> HostOverheadBenchmark.OIP_REQUEST;
      case "tiny-json" -> HostOverheadBenchmark.JSON_REQUEST;
      case "sentence" -> EmbeddingBenchmark.SENTENCE;
      default -> throw new IllegalArgumentException("usage: LoadRequests embed-oip|embed-json|tiny-oip|tiny-json|sentence");
    });
  }
}
