package io.infergate.client;

import java.util.Optional;

/**
 * The node refused the payment with a 402 the client could not resolve on its own (not a cumulative mismatch it
 * resynchronised from). {@link #errorCode()} is the x402 code, e.g.
 * {@code invalid_batch_settlement_evm_cumulative_exceeds_balance}; the message carries the node's explanation.
 *
 * <pre>{@code
 * catch (PaymentRefusedException e) {
 *   if (e.errorCode().filter(c -> c.endsWith("exceeds_balance")).isPresent()) client.deposit(url, body, topUp);
 * }
 * }</pre>
 */
public final class PaymentRefusedException extends ClientException {
  private static final long serialVersionUID = 1L;
  private final String errorCode;

  public PaymentRefusedException(String errorCode, String message) {
    super(message);
    this.errorCode = errorCode;
  }

  /** The x402 error code of the 402, when it carried one. */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }
}
