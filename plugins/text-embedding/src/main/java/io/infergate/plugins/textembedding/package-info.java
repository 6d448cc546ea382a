/**
 * The example plugin {@code text-embedding}: sentence embeddings with all-MiniLM-L6-v2 (int8), written the way
 * a model author writes a plugin.
 *
 * <p>Start at {@link io.infergate.plugins.textembedding.TextEmbeddingService}, the PF4J extension: it
 * tokenizes a batch of texts ({@link io.infergate.plugins.textembedding.WordPieceTokenizer}, a plain-Java
 * BERT WordPiece tokenizer driven by the model's {@code tokenizer.json}), pads them into one batch
 * ({@link io.infergate.plugins.textembedding.EncodedBatch}), has the host run the ONNX model once, then pools
 * and normalises the token vectors ({@link io.infergate.plugins.textembedding.SentencePooling}).
 * {@link io.infergate.plugins.textembedding.TextEmbeddingJsonAdapter} is the plain JSON route
 * {@code POST /v1/services/text-embedding}.
 *
 * <p>The plugin depends on nothing but {@code plugin-api}, PF4J (both provided by the host) and the JDK; the
 * model weights are not in the zip but named by content hash in the descriptor.
 */
package io.infergate.plugins.textembedding;
