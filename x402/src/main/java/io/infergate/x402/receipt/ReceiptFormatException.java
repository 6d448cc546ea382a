package io.infergate.x402.receipt;

/**
 * A receipt or proof document that is not what {@link SignedReceipt#fromJson} or {@link ReceiptProof#fromJson}
 * accept: the message names the member and what was expected. Expected, so no stack trace.
 */
public final class ReceiptFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReceiptFormatException(String message) {
    super(message, null, false, false);
  }
}
