package io.infergate.client.http;

import io.infergate.client.store.StoredCall;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.SignedReceipt;
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
 * @param call the call as recorded in the store's receipt log (with its receipt), null when nothing was charged
 */
public record PaidResponse(int status, HttpHeaders headers, byte[] body, SettlementResponse settlement,
    Bytes32 channelId, StoredCall call) {

  /** An answer that nothing was recorded for. */
  public PaidResponse(int status, HttpHeaders headers, byte[] body, SettlementResponse settlement, Bytes32 channelId) {
    this(status, headers, body, settlement, channelId, null);
  }

  /** The inference receipt that came with a charged answer, when the node sent one the client could read. */
  public Optional<SignedReceipt> receipt() {
    return call == null ? Optional.empty() : call.signedReceipt();
  }

  /**
   * Why the receipt of a charged answer is missing or does not describe this call (e.g. {@code responseHash is
   * 0x… but the call's is 0x…}); empty when it matched. The call is recorded either way, so {@code audit} reports
   * it too.
   */
  public Optional<String> receiptProblem() {
    if (call == null) {
      return Optional.empty();
    }
    if (call.receipt() == null && call.receiptProblem() == null) {
      return Optional.of("the node sent no inference receipt for a charged call");
    }
    return Optional.ofNullable(call.receiptProblem());
  }

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
