package io.infergate.contracts.logs;

/** The node refused {@code eth_getLogs} for a reason splitting the block range cannot fix. */
public final class LogRangeRefusedException extends RuntimeException {
  LogRangeRefusedException(String message) {
    super(message);
  }
}
