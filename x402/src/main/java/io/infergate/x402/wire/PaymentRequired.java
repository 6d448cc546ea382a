package io.infergate.x402.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The body of a 402 ({@code PAYMENT-REQUIRED} header): what the resource costs and how to pay.
 *
 * @param x402Version always 2
 * @param error why the previous payment was refused (an error code), null on a first 402
 * @param resource the resource
 * @param accepts the ways to pay, at least one
 * @param extensions extension data (e.g. {@code offer-receipt}), null when none
 */
public record PaymentRequired(int x402Version, String error, ResourceInfo resource, List<PaymentRequirements> accepts,
    JsonNode extensions) {
  public PaymentRequired {
    Objects.requireNonNull(resource, "resource");
    accepts = List.copyOf(accepts);
    if (accepts.isEmpty()) {
      throw new IllegalArgumentException("a PaymentRequired offers at least one way to pay");
    }
  }

  /** A version-2 402 offering {@code accepts}. */
  public static PaymentRequired of(ResourceInfo resource, List<PaymentRequirements> accepts) {
    return new PaymentRequired(2, null, resource, accepts, null);
  }

  /** This 402 with an error code, e.g. after a refused payment. */
  public PaymentRequired withError(String code) {
    return new PaymentRequired(x402Version, code, resource, accepts, extensions);
  }
}
