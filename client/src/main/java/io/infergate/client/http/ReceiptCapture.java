package io.infergate.client.http;

import io.infergate.client.channel.ChannelRecord;
import io.infergate.client.receipts.CallReceipts;
import io.infergate.client.store.StoredCall;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.ReceiptFormatException;
import io.infergate.x402.receipt.RequestHash;
import io.infergate.x402.receipt.SignedReceipt;
import io.infergate.x402.wire.ChannelState;
import io.infergate.x402.wire.SettlementResponse;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * Turns a charged answer into the {@link StoredCall} the receipt log keeps: hashes of what was sent and received,
 * the payment figures, and the receipt from the {@code Infergate-Receipt} header (or, without one, from
 * {@code PAYMENT-RESPONSE} {@code extensions["inference-receipt"]}), checked against the call.
 */
final class ReceiptCapture {
  /** The response header that carries the receipt: base64 of the served receipt JSON. */
  static final String RECEIPT_HEADER = "Infergate-Receipt";
  /** The {@code PAYMENT-RESPONSE} extension that carries the same receipt JSON. */
  static final String RECEIPT_EXTENSION = "inference-receipt";
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  private ReceiptCapture() {}

  static StoredCall capture(URI url, byte[] body, Map<String, String> headers, HttpResponse<byte[]> r,
      SettlementResponse settlement, ChannelRecord ch, ChannelState state) {
    byte[] sent = body == null ? new byte[0] : body;
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    long headerLength = headerLength(headers);
    SignedReceipt receipt = null;
    String problem = null;
    try {
      receipt = receiptOf(r, settlement);
    } catch (ReceiptFormatException e) {
      problem = "the node's receipt cannot be read: " + e.getMessage();
    }
    String service = CallReceipts.serviceOfPath(path).orElse(receipt != null ? receipt.receipt().service() : "");
    Bytes32 requestHash = RequestHash.of(service, path, headerLength, sent);
    Bytes32 responseHash = Bytes32.keccak(r.body());
    if (receipt != null) {
      List<String> mismatches = CallReceipts.mismatches(receipt, new CallReceipts.Expected(service, requestHash,
          responseHash, ch.channelId(), ch.chainId(), ch.signedMax(), settlement.extra().chargedAmount(),
          state.chargedCumulativeAmount()));
      if (!mismatches.isEmpty()) {
        problem = "receipt " + receipt.id() + " does not match the call: " + String.join("; ", mismatches);
      }
    }
    return new StoredCall(0, ch.channelId(), url.toString(), path, service, headerLength, sent, requestHash,
        responseHash, ch.signedMax(), settlement.extra().chargedAmount(), state.chargedCumulativeAmount(), receipt,
        problem, 0);
  }

  private static SignedReceipt receiptOf(HttpResponse<byte[]> r, SettlementResponse settlement) {
    String header = r.headers().firstValue(RECEIPT_HEADER).orElse(null);
    SignedReceipt fromHeader = header == null ? null : SignedReceipt.fromHeader(header);
    var ext = settlement.extensions() == null ? null : settlement.extensions().get(RECEIPT_EXTENSION);
    SignedReceipt fromExtension = ext == null || ext.isNull() ? null : SignedReceipt.fromJson(ext);
    if (fromHeader != null && fromExtension != null && !fromHeader.equals(fromExtension)) {
      throw new ReceiptFormatException("the Infergate-Receipt header (" + fromHeader.id() + ") and PAYMENT-RESPONSE"
          + " extensions[\"inference-receipt\"] (" + fromExtension.id() + ") carry different receipts");
    }
    return fromHeader != null ? fromHeader : fromExtension;
  }

  private static long headerLength(Map<String, String> headers) {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (h.getKey().equalsIgnoreCase(HEADER_LENGTH)) {
        try {
          return Long.parseLong(h.getValue().trim());
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }
}
