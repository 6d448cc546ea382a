/**
 * Consumer-side verification of inference receipts. Start at {@link io.infergate.client.receipts.ReceiptVerifier}
 * (one receipt: signature, registry at {@code issuedAt}, stored hashes, inclusion proof against the root on
 * chain, optional re-execution, equivocation) and {@link io.infergate.client.receipts.ReceiptAudit} (the whole log
 * of a channel: charges add up, nothing charged without a receipt or beyond a voucher). Chain reads go through
 * {@link io.infergate.client.receipts.ReceiptChain}; {@link io.infergate.client.receipts.CallReceipts} is the
 * check {@code PaidHttpClient} makes when an answer arrives. Results are {@link io.infergate.client.receipts.Check}
 * lists, never exceptions: a bad receipt is a failed check with a reason.
 */
package io.infergate.client.receipts;
