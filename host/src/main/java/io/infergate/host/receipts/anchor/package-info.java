/**
 * Anchoring the receipt journal on chain: {@link io.infergate.host.receipts.anchor.ReceiptAnchorer} cuts the
 * journal's receipts into Merkle batches (every {@code receipts.anchor.batch-size} receipts or
 * {@code receipts.anchor.interval-ms}, whichever first) and commits each root to the {@code ReceiptAnchor}
 * contract with the receipt key, crash-safely (root durable before sending, transaction hash durable before
 * broadcasting, confirmation by receipt, reconciliation with the chain after a restart);
 * {@link io.infergate.host.receipts.anchor.ReceiptProofs} serves inclusion proofs once a batch is committed.
 * Replicas sharing a PostgreSQL ledger run anchoring rounds only on their elected anchoring leader
 * ({@code io.infergate.host.leadership}); every replica serves proofs.
 *
 * <p>Start with {@code ReceiptAnchorer}; {@link io.infergate.host.receipts.anchor.AnchorContract} is the
 * contract's calls and views, {@link io.infergate.host.receipts.anchor.AnchorMetrics} the Prometheus meters.
 */
package io.infergate.host.receipts.anchor;
