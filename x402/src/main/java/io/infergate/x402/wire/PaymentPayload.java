package io.infergate.x402.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What a client pays with ({@code PAYMENT-SIGNATURE} header).
 *
 * @param x402Version 2
 * @param accepted the requirements the client chose, echoed back
 * @param payload the scheme payload
 * @param resource the resource, when the client echoes it; null otherwise
 * @param extensions extension data, null when none
 */
public record PaymentPayload(int x402Version, PaymentRequirements accepted, SchemePayload payload,
    ResourceInfo resource, JsonNode extensions) {
  public PaymentPayload {
    Objects.requireNonNull(accepted, "accepted");
    Objects.requireNonNull(payload, "payload");
  }
}
