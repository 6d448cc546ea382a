package io.infergate.host.errors;

import io.infergate.x402.wire.PaymentRequired;
import io.infergate.x402.wire.X402Codec;
import java.util.Map;

/**
 * The call needs (another) payment (HTTP 402). Carries the x402 {@code PaymentRequired}, sent base64-encoded in
 * the {@code PAYMENT-REQUIRED} header; its {@code error} holds the x402 code (e.g.
 * {@code invalid_batch_settlement_evm_cumulative_amount_mismatch}) when a payment was refused, and the message
 * says what to do.
 */
public final class PaymentRequiredException extends InfergateException {
  private static final long serialVersionUID = 1L;
  private final transient PaymentRequired paymentRequired;

  public PaymentRequiredException(String message, PaymentRequired paymentRequired) {
    super(402, message);
    this.paymentRequired = paymentRequired;
  }

  /** The offer (and refusal code) to send. */
  public PaymentRequired paymentRequired() {
    return paymentRequired;
  }

  @Override
  public Map<String, String> headers() {
    return Map.of(X402Codec.PAYMENT_REQUIRED_HEADER, X402Codec.encodePaymentRequiredHeader(paymentRequired));
  }

  @Override
  public String reason() {
    return "payment_required";
  }
}
