package io.infergate.plugins.textembedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SentencePoolingTest {

  @Test
  void meanIgnoresPaddedPositions() {
    // batch 2, seq 3, dim 2; row 0 has 2 real tokens, row 1 has 3.
    float[] hidden = {
        1, 2, 3, 4, 100, 100,
        1, 1, 2, 2, 6, 3};
    long[] mask = {1, 1, 0, 1, 1, 1};
    assertArrayEquals(new float[] {2, 3, 3, 2}, SentencePooling.meanPool(hidden, mask, 2, 3, 2), 1e-6f);
  }

  @Test
  void anAllMaskedRowPoolsToZerosNotNaN() {
    float[] pooled = SentencePooling.meanPool(new float[] {5, 7}, new long[] {0}, 1, 1, 2);
    assertArrayEquals(new float[] {0, 0}, pooled);
    assertArrayEquals(new float[] {0, 0}, SentencePooling.normalizeRows(pooled, 2));
  }

  @Test
  void rowsAreScaledToUnitLength() {
    float[] v = SentencePooling.normalizeRows(new float[] {3, 4, 0, -2}, 2);
    assertArrayEquals(new float[] {0.6f, 0.8f, 0, -1}, v, 1e-7f);
  }

  @Test
  void mismatchedSizesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> SentencePooling.meanPool(new float[5], new long[2], 1, 2, 2));
    assertThrows(IllegalArgumentException.class, () -> SentencePooling.normalizeRows(new float[5], 2));
  }
}
