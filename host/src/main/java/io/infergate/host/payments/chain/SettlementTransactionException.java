package io.infergate.host.payments.chain;

import io.infergate.x402.wire.BatchSettlementError;
import java.util.Objects;
import java.util.Optional;

/**
 * A transaction the node sends as facilitator (deposit, claim, settle) was refused: by validation before
 * sending, by simulation, or on chain. {@link #code()} is the x402 error code to answer with (for example
 * {@code invalid_batch_settlement_evm_deposit_transaction_failed}) and {@link #revertReason()} the contract's
 * reason (e.g. {@code AuthorizationAlreadyUsed}). An expected failure: it carries no stack trace.
 */
public final class SettlementTransactionException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final BatchSettlementError code;
  private final String revertReason;
  private final String txHash;

  public SettlementTransactionException(BatchSettlementError code, String message, String revertReason,
      String txHash) {
    super(message, null, false, false);
    this.code = Objects.requireNonNull(code, "code");
    this.revertReason = revertReason;
    this.txHash = txHash;
  }

  static SettlementTransactionException of(BatchSettlementError code, String message) {
    return new SettlementTransactionException(code, message, null, null);
  }

  public BatchSettlementError code() {
    return code;
  }

  /** The contract error's name or message, when the chain gave one. */
  public Optional<String> revertReason() {
    return Optional.ofNullable(revertReason);
  }

  /** The transaction, when one was broadcast. */
  public Optional<String> txHash() {
    return Optional.ofNullable(txHash);
  }
}
