package io.infergate.x402.wire;

import java.util.Optional;

/**
 * A payment header or body that is not valid x402: bad base64, bad JSON, a missing or malformed field. The
 * message names the JSON path and what was expected; {@link #error()} carries the scheme's error code when the
 * spec has one for the case (e.g. {@code invalid_batch_settlement_evm_voucher_payload}). Expected, so no stack
 * trace.
 */
public final class X402FormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient BatchSettlementError error;

  public X402FormatException(BatchSettlementError error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  /** The scheme's code for this failure, when it has one. */
  public Optional<BatchSettlementError> error() {
    return Optional.ofNullable(error);
  }
}
