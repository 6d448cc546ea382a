package io.infergate.client.store;

import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.SignedReceipt;
import java.math.BigInteger;
import java.util.Optional;

/**
 * One paid call as the client recorded it in its {@link ReceiptLog}: what it sent and received (as hashes it
 * computed itself, plus the request body for re-execution), what the node charged, and the receipt that came
 * with the answer.
 *
 * <pre>{@code
 * for (StoredCall c : store.receipts().forChannel(channelId)) {
 *   System.out.println(c.path() + " charged " + c.chargedAmount() + " receipt " + c.receiptId().orElse("none"));
 * }
 * }</pre>
 *
 * @param callId the log's own number for the call (increasing in call order)
 * @param channelId the channel that paid
 * @param url the URL called
 * @param path the HTTP path as requested (what {@code requestHash} covers)
 * @param service the service name the client derived from the path (or the receipt's, when the path names none)
 * @param inferenceHeaderLength the request's {@code Inference-Header-Content-Length}, 0 without one
 * @param requestBody the request body bytes as sent
 * @param requestHash {@code RequestHash.of(service, path, inferenceHeaderLength, requestBody)}, computed here
 * @param responseHash keccak256 of the response body bytes as received, computed here
 * @param maxClaimableAmount the voucher the call was paid with
 * @param chargedAmount the {@code PAYMENT-RESPONSE}'s charge
 * @param chargedCumulativeAmount the {@code PAYMENT-RESPONSE}'s channel total after the call
 * @param receipt the receipt that came with the answer, or null when the node sent none (or an unreadable one)
 * @param receiptProblem why the receipt does not match the call (or could not be read), null when it matches
 * @param recordedAt unix milliseconds when the call was recorded
 */
public record StoredCall(long callId, Bytes32 channelId, String url, String path, String service,
    long inferenceHeaderLength, byte[] requestBody, Bytes32 requestHash, Bytes32 responseHash,
    BigInteger maxClaimableAmount, BigInteger chargedAmount, BigInteger chargedCumulativeAmount,
    SignedReceipt receipt, String receiptProblem, long recordedAt) {

  /** The receipt, when the node sent one the client could read. */
  public Optional<SignedReceipt> signedReceipt() {
    return Optional.ofNullable(receipt);
  }

  /** The receipt's id, when there is a receipt. */
  public Optional<String> receiptId() {
    return receipt == null ? Optional.empty() : Optional.of(receipt.id());
  }

  /** True when a receipt came and matched the call. */
  public boolean receiptMatches() {
    return receipt != null && receiptProblem == null;
  }
}
