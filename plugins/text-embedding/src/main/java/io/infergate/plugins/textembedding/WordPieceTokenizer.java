package io.infergate.plugins.textembedding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BERT WordPiece tokenization in plain Java, configured by a Hugging Face {@code tokenizer.json}: special
 * tokens matched in the raw text, {@link BertNormalizer}, {@link BertPreTokenizer}, then greedy
 * longest-match-first WordPiece with {@code ##} continuations, wrapped in {@code [CLS] … [SEP]}.
 *
 * <p>Its output is checked token for token against the Hugging Face Rust tokenizers and tokenizers.js in
 * the tests. Immutable and thread-safe.
 *
 * <pre>{@code
 * WordPieceTokenizer t = WordPieceTokenizer.fromJson(in);
 * WordPieceTokenizer.Encoding e = t.encode("Hello, world!", 256);   // [101, 7592, 1010, 2088, 999, 102]
 * }</pre>
 */
final class WordPieceTokenizer {
  private final BertNormalizer normalizer;
  private final Map<String, Integer> vocab;
  private final Map<String, Integer> specialTokens; // matched verbatim in the raw text, before normalisation
  private final String continuingPrefix;
  private final int maxCharsPerWord;
  private final int unkId;
  private final int clsId;
  private final int sepId;

  private WordPieceTokenizer(BertNormalizer normalizer, Map<String, Integer> vocab, Map<String, Integer> specialTokens,
      String continuingPrefix, int maxCharsPerWord, String unkToken) {
    this.normalizer = normalizer;
    this.vocab = vocab;
    this.specialTokens = specialTokens;
    this.continuingPrefix = continuingPrefix;
    this.maxCharsPerWord = maxCharsPerWord;
    this.unkId = requireToken(vocab, unkToken);
    this.clsId = requireToken(vocab, "[CLS]");
    this.sepId = requireToken(vocab, "[SEP]");
  }

  /** The token IDs of one text, {@code [CLS]} and {@code [SEP]} included, and whether it was cut short. */
  record Encoding(long[] ids, boolean truncated) {
    int length() {
      return ids.length;
    }
  }

  /** Reads a {@code tokenizer.json}; fails naming the part this tokenizer does not implement. */
  static WordPieceTokenizer fromJson(InputStream in) throws IOException {
    Map<String, Object> root = object(JsonReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)), "root");
    Map<String, Object> norm = object(root.get("normalizer"), "normalizer");
    requireType(norm, "BertNormalizer", "normalizer");
    boolean lowercase = flag(norm, "lowercase", true);
    Object strip = norm.get("strip_accents");
    BertNormalizer normalizer = new BertNormalizer(flag(norm, "clean_text", true),
        flag(norm, "handle_chinese_chars", true), strip == null ? lowercase : (Boolean) strip, lowercase);
    requireType(object(root.get("pre_tokenizer"), "pre_tokenizer"), "BertPreTokenizer", "pre_tokenizer");
    Map<String, Object> model = object(root.get("model"), "model");
    requireType(model, "WordPiece", "model");

    Map<String, Object> rawVocab = object(model.get("vocab"), "model.vocab");
    Map<String, Integer> vocab = new HashMap<>(rawVocab.size() * 2);
    rawVocab.forEach((token, id) -> vocab.put(token, ((Number) id).intValue()));
    Map<String, Integer> special = new HashMap<>();
    for (Object o : (List<?>) root.getOrDefault("added_tokens", List.of())) {
      Map<String, Object> t = object(o, "added_tokens[]");
      if (Boolean.TRUE.equals(t.get("normalized")) || Boolean.TRUE.equals(t.get("single_word"))
          || Boolean.TRUE.equals(t.get("lstrip")) || Boolean.TRUE.equals(t.get("rstrip"))) {
        throw new IllegalArgumentException("tokenizer.json: added token " + t.get("content")
            + " uses normalized/single_word/lstrip/rstrip, which this tokenizer does not implement");
      }
      special.put((String) t.get("content"), ((Number) t.get("id")).intValue());
    }
    return new WordPieceTokenizer(normalizer, Map.copyOf(vocab), Map.copyOf(special),
        (String) model.getOrDefault("continuing_subword_prefix", "##"),
        ((Number) model.getOrDefault("max_input_chars_per_word", 100L)).intValue(),
        (String) model.getOrDefault("unk_token", "[UNK]"));
  }

  /**
   * Tokenizes {@code text} into at most {@code maxTokens} IDs including {@code [CLS]} and {@code [SEP]};
   * longer texts keep their beginning and are flagged as truncated.
   */
  Encoding encode(String text, int maxTokens) {
    if (maxTokens < 2) {
      throw new IllegalArgumentException("maxTokens must leave room for [CLS] and [SEP], got " + maxTokens);
    }
    IdList ids = new IdList(Math.min(maxTokens, 64));
    ids.add(clsId);
    int limit = maxTokens - 1; // room for [SEP]
    boolean truncated = false;
    // Whole words are added, then the list is cut: the same IDs as tokenizing everything and truncating after,
    // without tokenizing the rest of a very long text.
    for (Segment segment : splitOnSpecialTokens(text)) {
      if (segment.specialId >= 0) {
        ids.add(segment.specialId);
        truncated = ids.size() > limit;
      } else {
        for (String word : BertPreTokenizer.split(normalizer.normalize(segment.text))) {
          wordPiece(word, ids);
          truncated = ids.size() > limit;
          if (truncated) {
            break;
          }
        }
      }
      if (truncated) {
        ids.truncate(limit);
        break;
      }
    }
    ids.add(sepId);
    return new Encoding(ids.toArray(), truncated);
  }

  /** Appends the pieces of one word, or {@code [UNK]} if it is too long or any part of it is not in the vocabulary. */
  private void wordPiece(String word, IdList ids) {
    int[] bounds = codePointBounds(word);
    int chars = bounds.length - 1;
    if (chars > maxCharsPerWord) {
      ids.add(unkId);
      return;
    }
    int mark = ids.size();
    int start = 0;
    while (start < chars) {
      int end = chars;
      int found = -1;
      while (end > start) {
        String piece = word.substring(bounds[start], bounds[end]);
        Integer id = vocab.get(start > 0 ? continuingPrefix + piece : piece);
        if (id != null) {
          found = id;
          break;
        }
        end--;
      }
      if (found < 0) {
        ids.truncate(mark);
        ids.add(unkId);
        return;
      }
      ids.add(found);
      start = end;
    }
  }

  private record Segment(String text, int specialId) {}

  /** Splits on special tokens, leftmost and then longest match first, as Hugging Face's added vocabulary does. */
  private List<Segment> splitOnSpecialTokens(String text) {
    List<Segment> out = new ArrayList<>();
    int from = 0;
    int i = 0;
    while (i < text.length()) {
      String match = null;
      for (String token : specialTokens.keySet()) {
        if (text.startsWith(token, i) && (match == null || token.length() > match.length())) {
          match = token;
        }
      }
      if (match == null) {
        i++;
        continue;
      }
      if (i > from) {
        out.add(new Segment(text.substring(from, i), -1));
      }
      out.add(new Segment(match, specialTokens.get(match)));
      i += match.length();
      from = i;
    }
    if (from < text.length()) {
      out.add(new Segment(text.substring(from), -1));
    }
    return out;
  }

  private static int[] codePointBounds(String word) {
    int[] bounds = new int[word.codePointCount(0, word.length()) + 1];
    int k = 0;
    for (int i = 0; i < word.length(); i += Character.charCount(word.codePointAt(i))) {
      bounds[k++] = i;
    }
    bounds[k] = word.length();
    return bounds;
  }

  private static int requireToken(Map<String, Integer> vocab, String token) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new IllegalArgumentException("tokenizer.json: the vocabulary has no " + token + " token");
    }
    return id;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String where) {
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("tokenizer.json: " + where + " is missing or not an object");
    }
    return (Map<String, Object>) value;
  }

  private static void requireType(Map<String, Object> part, String type, String where) {
    if (!type.equals(part.get("type"))) {
      throw new IllegalArgumentException("tokenizer.json: " + where + " is " + part.get("type")
          + ", this tokenizer implements only " + type);
    }
  }

  private static boolean flag(Map<String, Object> part, String name, boolean absent) {
    Object v = part.get(name);
    return v == null ? absent : (Boolean) v;
  }

  /** A growable list of token IDs without boxing. */
  private static final class IdList {
    private long[] ids;
    private int size;

    IdList(int capacity) {
      ids = new long[Math.max(capacity, 2)];
    }

    void add(long id) {
      if (size == ids.length) {
        ids = Arrays.copyOf(ids, size * 2);
      }
      ids[size++] = id;
    }

    int size() {
      return size;
    }

    void truncate(int newSize) {
      size = newSize;
    }

    long[] toArray() {
      return Arrays.copyOf(ids, size);
    }
  }
}
