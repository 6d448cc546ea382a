package io.infergate.plugins.textembedding;

import io.infergate.plugin.api.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A batch of encodings padded to its longest member: the three BERT inputs as INT64 [batch, maxLen] tensors.
 * Padding uses ID 0 with attention mask 0, so padded positions change neither the encoder's output for the
 * real tokens nor the mean pooling; token type IDs are all 0 (one segment per text).
 */
record EncodedBatch(int batchSize, int sequenceLength, long[] inputIds, long[] attentionMask) {

  static EncodedBatch of(List<WordPieceTokenizer.Encoding> encodings) {
    int batch = encodings.size();
    int maxLen = encodings.stream().mapToInt(WordPieceTokenizer.Encoding::length).max().orElse(0);
    long[] ids = new long[batch * maxLen];
    long[] mask = new long[batch * maxLen];
    for (int b = 0; b < batch; b++) {
      long[] e = encodings.get(b).ids();
      System.arraycopy(e, 0, ids, b * maxLen, e.length);
      java.util.Arrays.fill(mask, b * maxLen, b * maxLen + e.length, 1L);
    }
    return new EncodedBatch(batch, maxLen, ids, mask);
  }

  /** The model inputs, in direct buffers the host hands to ONNX Runtime without copying. */
  Map<String, Tensor> toModelInputs() {
    long[] shape = {batchSize, sequenceLength};
    return Map.of(
        "input_ids", Tensor.ofLongs(shape, inputIds),
        "attention_mask", Tensor.ofLongs(shape, attentionMask),
        "token_type_ids", Tensor.ofLongs(shape, new long[inputIds.length]));
  }
}
