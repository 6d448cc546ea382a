package io.infergate.plugins.textembedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncodedBatchTest {

  @Test
  void padsToTheLongestWithZeroIdsAndMask() {
    EncodedBatch batch = EncodedBatch.of(List.of(
        new WordPieceTokenizer.Encoding(new long[] {101, 7, 102}, false),
        new WordPieceTokenizer.Encoding(new long[] {101, 8, 9, 10, 102}, false)));
    Map<String, Tensor> in = batch.toModelInputs();
    for (String name : List.of("input_ids", "attention_mask", "token_type_ids")) {
      assertEquals(DataType.INT64, in.get(name).dataType());
      assertArrayEquals(new long[] {2, 5}, in.get(name).shape());
      assertEquals(true, in.get(name).buffer().isDirect(), name + " must be direct for ORT");
    }
    assertArrayEquals(new long[] {101, 7, 102, 0, 0, 101, 8, 9, 10, 102}, in.get("input_ids").toLongArray());
    assertArrayEquals(new long[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, in.get("attention_mask").toLongArray());
    assertArrayEquals(new long[10], in.get("token_type_ids").toLongArray());
  }
}
