package io.infergate.client.http;

import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.wire.SettlementResponse;
import java.math.BigInteger;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The answer to a call made through {@link PaidHttpClient}: the HTTP status, headers and body, and for a paid
 * call the checked {@code PAYMENT-RESPONSE} and the channel that paid.
 *
 * <pre>{@code
 * PaidResponse r = client.call(url, "{\"texts\":[\"hello\"]}");
 * System.out.println(r.status() + " charged " + r.charged() + ": " + r.bodyText());
 * }</pre>
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param body the response body
 * @param settlement the verified {@code PAYMENT-RESPONSE}, null when nothing was charged
 * @param channelId the channel that paid, null for a free route
 */
public record PaidResponse(int status, HttpHeaders headers, byte[] body, SettlementResponse settlement,
    Bytes32 channelId) {

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The verified settlement, when the call was charged. */
  public Optional<SettlementResponse> payment() {
    return Optional.ofNullable(settlement);
  }

  /** What this call cost (0 when nothing was charged). */
  public BigInteger charged() {
    return settlement == null ? BigInteger.ZERO : settlement.extra().chargedAmount();
  }
}
