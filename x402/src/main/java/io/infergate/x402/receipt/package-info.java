/**
 * Infergate's verifiable inference receipt: the EIP-712 type {@link io.infergate.x402.receipt.InferenceReceipt}
 * that binds what was computed (request and response hashes, plugin, models, runtime profile) to what was paid
 * (channel, voucher, charge), its signed and served form {@link io.infergate.x402.receipt.SignedReceipt}, the
 * canonical request hash ({@link io.infergate.x402.receipt.RequestHash}), the Merkle trees whose roots the node
 * commits to the {@code ReceiptAnchor} contract ({@link io.infergate.x402.receipt.ReceiptMerkleTree},
 * {@link io.infergate.x402.receipt.ReceiptProof}) and the misbehaviour proof
 * ({@link io.infergate.x402.receipt.Equivocation}). The node signs and serves receipts; the client and anyone
 * else verify them with the same code, or with any EIP-712 library (sdk-docs/protocol.md specifies every hash).
 */
package io.infergate.x402.receipt;
