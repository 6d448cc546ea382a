/**
 * Inference receipts on the node: signing each paid call's {@link io.infergate.x402.receipt.InferenceReceipt}
 * in the charge's transaction, the durable receipt journal ({@link io.infergate.host.receipts.ReceiptLog}),
 * serving receipts and proofs over HTTP, and anchoring Merkle roots of the journal on the
 * {@code ReceiptAnchor} contract.
 */
package io.infergate.host.receipts;
