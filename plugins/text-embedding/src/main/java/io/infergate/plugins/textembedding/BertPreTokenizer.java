package io.infergate.plugins.textembedding;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits normalised text into words: white space separates words and is dropped; every punctuation
 * character is a word of its own. Punctuation is ASCII punctuation (which includes symbols such as
 * {@code $ + < = > ^ ` |}) plus the Unicode punctuation categories P*.
 */
final class BertPreTokenizer {
  private BertPreTokenizer() {}

  static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    text.codePoints().forEach(cp -> {
      if (BertNormalizer.isWhitespace(cp)) {
        flush(word, words);
      } else if (isPunctuation(cp)) {
        flush(word, words);
        words.add(Character.toString(cp));
      } else {
        word.appendCodePoint(cp);
      }
    });
    flush(word, words);
    return words;
  }

  private static void flush(StringBuilder word, List<String> words) {
    if (!word.isEmpty()) {
      words.add(word.toString());
      word.setLength(0);
    }
  }

  static boolean isPunctuation(int cp) {
    if (cp < 0x80) {
      return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
    }
    return switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
          Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION -> true;
      default -> false;
    };
  }
}
