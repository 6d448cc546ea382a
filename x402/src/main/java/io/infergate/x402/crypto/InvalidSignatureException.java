package io.infergate.x402.crypto;

/**
 * A signature that is malformed or does not meet the rules EVM contracts apply (OpenZeppelin {@code ECDSA}):
 * 65 bytes, {@code 0 < r < n}, {@code 0 < s ≤ n/2} (low s), {@code v ∈ {27, 28}}. An expected failure: no stack
 * trace. The message says which rule failed.
 */
public final class InvalidSignatureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidSignatureException(String message) {
    super(message, null, false, false);
  }
}
