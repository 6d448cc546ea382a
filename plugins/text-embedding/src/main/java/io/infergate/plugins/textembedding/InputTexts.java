package io.infergate.plugins.textembedding;

import io.infergate.plugin.api.InvalidInputException;
import java.util.List;

/** The rules a batch of texts must meet, shared by the JSON route and the OIP route. */
final class InputTexts {
  private InputTexts() {}

  /**
   * Checks a batch; {@code field} names the input in messages ({@code texts} or {@code text}).
   *
   * @throws InvalidInputException saying which element is wrong and what to send instead
   */
  static void check(List<String> texts, String field, int maxBatchSize) {
    if (texts.isEmpty()) {
      throw new InvalidInputException("'" + field + "' is empty: send 1 to " + maxBatchSize + " texts");
    }
    if (texts.size() > maxBatchSize) {
      throw new InvalidInputException("'" + field + "' has " + texts.size() + " texts, at most " + maxBatchSize
          + " are accepted per call: split the batch");
    }
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i).isBlank()) {
        throw new InvalidInputException("'" + field + "[" + i + "]' is empty or only white space: every text must"
            + " contain something to embed");
      }
    }
  }
}
