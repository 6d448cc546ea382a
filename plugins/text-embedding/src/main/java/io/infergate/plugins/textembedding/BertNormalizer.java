package io.infergate.plugins.textembedding;

import java.text.Normalizer;

/**
 * BERT's text normalisation, as the Hugging Face {@code BertNormalizer} does it, so that token IDs (and so
 * the vectors) equal those of the reference tokenizer the model was trained with. In order:
 * <ol>
 *   <li>clean text: drop NUL, U+FFFD and every "other" character (categories C*) except tab, CR and LF;
 *       map every white-space character to a plain space;
 *   <li>surround each CJK ideograph with spaces, so each becomes a word of its own;
 *   <li>strip accents: canonical decomposition (NFD), then drop non-spacing marks (Mn);
 *   <li>lower-case character by character (full Unicode mapping, no context rules such as final sigma).
 * </ol>
 */
record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {

  String normalize(String text) {
    String s = text;
    if (cleanText) {
      s = cleanText(s);
    }
    if (handleChineseChars) {
      s = spaceChineseChars(s);
    }
    if (stripAccents) {
      s = stripAccents(s);
    }
    if (lowercase) {
      s = lowercase(s);
    }
    return s;
  }

  private static String cleanText(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
        return;
      }
      if (isWhitespace(cp)) {
        sb.append(' ');
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.toString();
  }

  private static String spaceChineseChars(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      if (isChineseChar(cp)) {
        sb.append(' ').appendCodePoint(cp).append(' ');
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.toString();
  }

  private static String stripAccents(String s) {
    String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
    StringBuilder sb = new StringBuilder(nfd.length());
    nfd.codePoints().forEach(cp -> {
      if (Character.getType(cp) != Character.NON_SPACING_MARK) {
        sb.appendCodePoint(cp);
      }
    });
    return sb.toString();
  }

  private static String lowercase(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      // Character.toLowerCase is the simple (1:1) mapping; U+0130 is the one code point whose
      // unconditional full lower case is longer ("i" + combining dot above).
      if (cp == 0x130) {
        sb.append("i\u0307");
      } else {
        sb.appendCodePoint(Character.toLowerCase(cp));
      }
    });
    return sb.toString();
  }

  /** Tab, LF and CR count as white space here, not as control characters. */
  static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    // Cc, Cf, Co and Cs, but not Cn: the reference implementation has no table of unassigned code points, so
    // an unassigned character survives as a word of its own (and becomes [UNK]).
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE -> true;
      default -> false;
    };
  }

  /**
   * The Unicode White_Space property (what Rust's {@code char::is_whitespace} tests). Java's
   * {@link Character#isWhitespace} differs: it excludes no-break spaces and includes U+001C..U+001F.
   */
  static boolean isWhitespace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
        || cp == 0x3000;
  }

  /** The CJK Unified Ideographs blocks BERT treats as one-character words (not Hangul, kana or CJK punctuation). */
  static boolean isChineseChar(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }
}
