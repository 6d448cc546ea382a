package io.infergate.client.receipts;

import io.infergate.x402.receipt.ReceiptProof;

/**
 * How far {@link ReceiptVerifier#verify} goes for one receipt.
 *
 * <pre>{@code
 * verifier.verify(receipt, VerifyOptions.defaults().withProof(proofFromFile).withReexecute());
 * }</pre>
 *
 * @param reexecute re-run the stored request under the local runtime and compare the response hash
 * @param proof the inclusion proof to check (e.g. read from a file); null: ask the node
 *     ({@code GET /v1/receipts/{id}/proof})
 */
public record VerifyOptions(boolean reexecute, ReceiptProof proof) {
  public static VerifyOptions defaults() {
    return new VerifyOptions(false, null);
  }

  public VerifyOptions withReexecute() {
    return new VerifyOptions(true, proof);
  }

  public VerifyOptions withProof(ReceiptProof p) {
    return new VerifyOptions(reexecute, p);
  }
}
