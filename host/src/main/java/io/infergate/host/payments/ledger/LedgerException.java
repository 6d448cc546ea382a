package io.infergate.host.payments.ledger;

/**
 * The ledger's storage failed or refused an operation that should never be asked of it. The message says
 * what failed and what to check; nothing was half-written (every operation is one transaction).
 */
public class LedgerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LedgerException(String message) {
    super(message, null, false, false);
  }

  public LedgerException(String message, Throwable cause) {
    super(message, cause, false, true);
  }
}
