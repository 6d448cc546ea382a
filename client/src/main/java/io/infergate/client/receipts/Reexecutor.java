package io.infergate.client.receipts;

import io.infergate.client.store.StoredCall;
import io.infergate.x402.receipt.SignedReceipt;

/**
 * Re-runs a stored call with the receipt's plugin and models, fetched by content ID, and compares the response
 * hash: the {@code reexecution} step of {@link ReceiptVerifier}. It must answer
 * {@link CheckStatus#INCONCLUSIVE} when the local runtime profile differs from the receipt's, because ORT output
 * is only reproducible under the same profile.
 */
@FunctionalInterface
public interface Reexecutor {
  /** The {@code reexecution} check for {@code receipt}, whose request is {@code call}. */
  Check reexecute(SignedReceipt receipt, StoredCall call);
}
