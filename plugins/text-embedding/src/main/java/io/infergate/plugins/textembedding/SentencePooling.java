package io.infergate.plugins.textembedding;

/**
 * Turns token vectors into sentence vectors the way sentence-transformers does for this model: the mean of
 * the token vectors where the attention mask is 1, then scaled to unit L2 norm, so that a dot product of two
 * embeddings is their cosine similarity.
 */
final class SentencePooling {
  /** sentence-transformers clamps the token count to this, so an all-masked row gives zeros, not NaN. */
  private static final float MIN_TOKEN_COUNT = 1e-9f;
  /** torch.nn.functional.normalize's default epsilon: a zero vector stays zero. */
  private static final double MIN_NORM = 1e-12;

  private SentencePooling() {}

  /**
   * Masked mean over the sequence axis.
   *
   * @param hidden row-major [batch, seq, dim]
   * @param mask row-major [batch, seq], 1 for real tokens, 0 for padding
   * @return row-major [batch, dim]
   */
  static float[] meanPool(float[] hidden, long[] mask, int batch, int seq, int dim) {
    if (hidden.length != (long) batch * seq * dim || mask.length != (long) batch * seq) {
      throw new IllegalArgumentException("hidden has " + hidden.length + " values and mask " + mask.length
          + ", expected " + ((long) batch * seq * dim) + " and " + ((long) batch * seq));
    }
    float[] out = new float[batch * dim];
    for (int b = 0; b < batch; b++) {
      float count = 0;
      double[] sum = new double[dim];
      for (int t = 0; t < seq; t++) {
        if (mask[b * seq + t] == 0) {
          continue;
        }
        count++;
        int base = (b * seq + t) * dim;
        for (int d = 0; d < dim; d++) {
          sum[d] += hidden[base + d];
        }
      }
      float n = Math.max(count, MIN_TOKEN_COUNT);
      for (int d = 0; d < dim; d++) {
        out[b * dim + d] = (float) (sum[d] / n);
      }
    }
    return out;
  }

  /** Scales each row of a [rows, dim] matrix to unit L2 norm, in place; returns it. */
  static float[] normalizeRows(float[] vectors, int dim) {
    if (dim <= 0 || vectors.length % dim != 0) {
      throw new IllegalArgumentException(vectors.length + " values are not whole rows of " + dim);
    }
    for (int row = 0; row < vectors.length; row += dim) {
      double sq = 0;
      for (int d = 0; d < dim; d++) {
        sq += (double) vectors[row + d] * vectors[row + d];
      }
      double norm = Math.max(Math.sqrt(sq), MIN_NORM);
      for (int d = 0; d < dim; d++) {
        vectors[row + d] = (float) (vectors[row + d] / norm);
      }
    }
    return vectors;
  }
}
