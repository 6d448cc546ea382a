package io.infergate.plugins.textembedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java tokenizer against two independent implementations loading the same tokenizer.json, run with Node
 * at test time ({@code src/test/js/reference-tokenize.cjs}):
 * <ul>
 *   <li>Hugging Face's Rust tokenizers, which sentence-transformers uses: the reference. Every text must give
 *       exactly the same IDs;
 *   <li>tokenizers.js, the JavaScript port in transformers.js: a second opinion. Every text must agree too,
 *       except the few where tokenizers.js itself departs from the Rust reference ({@link #KNOWN_JS_DEVIATIONS});
 *       those must still disagree with Rust, so the exception is re-justified on every run.
 * </ul>
 */
class WordPieceTokenizerAgreementTest {
  private static final int NO_LIMIT = Integer.MAX_VALUE;

  static final List<String> TRICKY = List.of(
      "Hello, world!",
      "A man is eating food.",
      "Héllo Wörld, Ça va? Naïve café résumé jalapeño",
      "ÅNGSTRÖM über STRASSE straße ẞ",
      "İstanbul ıi İI",
      "ΣΊΣΥΦΟΣ Οδυσσέας ὀδυσσεύς",
      "你好世界，今天天气很好。",
      "日本語のテキストとカタカナ、ひらがな",
      "한국어 텍스트입니다",
      "𠀀𠀁 CJK extension B, 丽 compatibility ideograph",
      "emoji 🤗🚀👍🏽 family 👨‍👩‍👧 flag 🇫🇷 🥲",
      "tabs\tand\nnewlines\r\nand   runs     of spaces",
      "\u00a0no-break\u2003em-space\u3000ideographic\u2028line\u0085next",
      "zero\u200bwidth\u200cjoiners\u200d\ufeffbom\u00adsoft-hyphen",
      "control\u0001chars\u0007here\u007f\u001fend\u000bvt\u000cff",
      "replacement \ufffd char and NUL \u0000 inside",
      "punctuation!!! ?? ... --- (brackets) [square] {curly} <angle> \"quotes\" 'single'",
      "symbols $100 + 5% = ^caret `tick` |pipe| ~tilde @at #hash &amp; *star* _under_ \\back/slash",
      "unicode punctuation: «guillemets» “curly” ‘single’ — em–en dash … ellipsis ¿¡ 、。 ·",
      "math ∑∫√∞ ≠ ≤ ≥ × ÷ and currency €£¥₹ ©®™ °",
      "unaffable antidisestablishmentarianism supercalifragilisticexpialidocious",
      "x".repeat(100) + " exactly 100",
      "y".repeat(101) + " over 100, and " + "é".repeat(101),
      "MiXeD CaSe iPhone McDonald's O'Neill DNA-RNA",
      "numbers 3.14159 1,000,000 2024-01-01 12:30pm ½ ² ٣",
      "URL https://example.com/path?query=1&x=y#frag mail user@example.com",
      "code: int main() { return a->b[0] != 0 && x >= 1; } // comment",
      "[CLS] [SEP] [PAD] [MASK] [UNK] literal special tokens [cls] [MASK",
      "[MASK][MASK]x[SEP]y[[MASK]]",
      "combining e\u0301 vs é, a\u030a vs å, ﬁ ligature ﬀ, ①②, ｆｕｌｌｗｉｄｔｈ ＡＢＣ",
      "Arabic: مرحبا بالعالم، كيف حالك؟",
      "Hebrew: שלום עולם שָׁלוֹם",
      "Hindi: नमस्ते दुनिया",
      "Thai: สวัสดีชาวโลก",
      "Cyrillic: Привет, МИР! Ёлка ёж",
      "Vietnamese: Tiếng Việt có dấu, Đà Nẵng",
      "   leading and trailing   ",
      "Ǆ ǅ ǆ titlecase digraphs, ﬃ, Ⅻ roman",
      "private use \ue000 and unassigned \u0378 chars",
      "Polish: Zażółć gęślą jaźń; Czech: Příliš žluťoučký kůň",
      "Greek tonos: άέήίόύώ ΐΰ",
      "tokenization's WordPiece ##hash ##s prefix-like words",
      "The quick brown fox jumps over the lazy dog. THE QUICK BROWN FOX!",
      "recent code points: 🫨 🪿 (Unicode 15 emoji), 𱍐 (CJK extension H)",
      "Ἀθῆναι ᾅ ῼ polytonic, ŉ ǰ special casing, ß ẞ ﬅ",
      "a\u0300\u0316 stacked marks, ½ ⅓ ¹²³ Ⓐ circled, ™ ℃ ㎏");

  /** Indexes into {@link #TRICKY} where tokenizers.js 0.2.0 differs from the Rust reference, and why. */
  static final Map<Integer, String> KNOWN_JS_DEVIATIONS = Map.of(
      5, "tokenizers.js lower-cases with String.toLowerCase, which turns a word-final capital sigma into the final"
          + " form; Rust maps character by character (σ)",
      9, "tokenizers.js does not space out CJK ideographs outside the Basic Multilingual Plane (extension B),"
          + " so two ideographs become one [UNK] instead of two");

  private static WordPieceTokenizer tokenizer;
  private static Path tokenizerFile;

  @BeforeAll
  static void load() throws Exception {
    tokenizer = TextEmbeddingService.loadTokenizer();
    tokenizerFile = tokenizerFile();
  }

  @Test
  void javaIdsEqualHuggingFaceRustAndTokenizersJs(@TempDir Path tmp) throws Exception {
    Map<String, Object> reference = runReference(TRICKY, tmp);
    List<List<Long>> rust = idLists(reference.get("rust"));
    List<List<Long>> js = idLists(reference.get("js"));
    List<String> disagreements = new ArrayList<>();
    int agreeRust = 0;
    int agreeJs = 0;
    for (int i = 0; i < TRICKY.size(); i++) {
      List<Long> java = boxed(tokenizer.encode(TRICKY.get(i), NO_LIMIT).ids());
      boolean rustOk = java.equals(rust.get(i));
      boolean jsOk = java.equals(js.get(i));
      agreeRust += rustOk ? 1 : 0;
      agreeJs += jsOk ? 1 : 0;
      boolean jsExpected = KNOWN_JS_DEVIATIONS.containsKey(i) ? !js.get(i).equals(rust.get(i)) : jsOk;
      if (!rustOk || !jsExpected) {
        disagreements.add("text " + i + " " + escape(TRICKY.get(i))
            + (KNOWN_JS_DEVIATIONS.containsKey(i) ? " (listed as a tokenizers.js deviation, which it no longer is)" : "")
            + "\n  java " + java + "\n  rust " + rust.get(i) + "\n  js   " + js.get(i));
      }
    }
    System.out.printf("tokenizer agreement over %d texts: HF Rust tokenizers %d/%d, tokenizers.js %d/%d"
        + " (%d known tokenizers.js deviations) %s%n", TRICKY.size(), agreeRust, TRICKY.size(), agreeJs, TRICKY.size(),
        KNOWN_JS_DEVIATIONS.size(), reference.get("versions"));
    assertTrue(disagreements.isEmpty(), disagreements.size() + " texts disagree:\n" + String.join("\n", disagreements));
  }

  @Test
  void truncationKeepsTheFirstTokensAndEndsWithSep(@TempDir Path tmp) throws Exception {
    String longText = "Infergate embeds sentences; antidisestablishmentarianism is long. ".repeat(60);
    List<Long> full = idLists(runReference(List.of(longText), tmp).get("rust")).get(0);
    assertTrue(full.size() > TextEmbeddingService.MAX_TOKENS, "the reference text must be longer than the limit");

    WordPieceTokenizer.Encoding cut = tokenizer.encode(longText, TextEmbeddingService.MAX_TOKENS);
    assertTrue(cut.truncated());
    List<Long> expected = new ArrayList<>(full.subList(0, TextEmbeddingService.MAX_TOKENS - 1));
    expected.add(102L);
    assertEquals(expected, boxed(cut.ids()));
  }

  @Test
  void aTextOfExactlyTheLimitIsNotTruncated() {
    // "a" is one token: [CLS] + 254 × "a" + [SEP] = 256 tokens.
    WordPieceTokenizer.Encoding e = tokenizer.encode("a ".repeat(254), 256);
    assertEquals(256, e.length());
    assertFalse(e.truncated());
    WordPieceTokenizer.Encoding over = tokenizer.encode("a ".repeat(255), 256);
    assertEquals(256, over.length());
    assertTrue(over.truncated());
  }

  @Test
  void knownPiecesOfTheBertVocabulary() {
    assertArrayEquals(new long[] {101, 7592, 1010, 2088, 999, 102}, tokenizer.encode("Hello, world!", 256).ids());
    // un ##aff ##able: the classic WordPiece example, continuation pieces with the ## prefix.
    assertArrayEquals(new long[] {101, 14477, 20961, 3468, 102}, tokenizer.encode("unaffable", 256).ids());
  }

  private static Map<String, Object> runReference(List<String> texts, Path tmp) throws Exception {
    Path textsFile = tmp.resolve("texts.json");
    Files.writeString(textsFile, texts.stream().map(WordPieceTokenizerAgreementTest::jsonString)
        .collect(Collectors.joining(",", "[", "]")));
    @SuppressWarnings("unchecked")
    Map<String, Object> out = (Map<String, Object>) JsonReader.parse(
        NodeTools.run("reference-tokenize.cjs", tokenizerFile.toString(), textsFile.toString()));
    return out;
  }

  private static Path tokenizerFile() throws URISyntaxException {
    return Path.of(TextEmbeddingService.class.getResource(TextEmbeddingService.TOKENIZER_RESOURCE).toURI());
  }

  @SuppressWarnings("unchecked")
  private static List<List<Long>> idLists(Object o) {
    return (List<List<Long>>) o;
  }

  private static List<Long> boxed(long[] ids) {
    return Arrays.stream(ids).boxed().toList();
  }

  /** JSON string literal with every non-ASCII character escaped, so the file's bytes are unambiguous. */
  static String jsonString(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  private static String escape(String s) {
    return jsonString(s.length() > 120 ? s.substring(0, 120) + "…" : s);
  }
}
