/**
 * What anchoring receipts costs: building the Merkle tree of 10k receipts, extracting and checking their proofs,
 * and committing roots on a real anvil (gas from the transaction receipts, wall time of each round).
 * {@link io.infergate.bench.receipts.AnchoringCostBench} is a plain main class; see {@code bench/README.md}.
 */
package io.infergate.bench.receipts;
