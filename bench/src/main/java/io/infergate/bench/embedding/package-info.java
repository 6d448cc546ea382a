/**
 * all-MiniLM-L6-v2 (int8) three ways, in one JVM, with the host's session settings:
 * ORT alone on the plugin's own token IDs (the floor), the plugin's {@code infer} over a bare session
 * (tokenizer and pooling added), and the host's call path without a socket. Start at
 * {@link io.infergate.bench.embedding.EmbeddingBenchmark}.
 */
package io.infergate.bench.embedding;
