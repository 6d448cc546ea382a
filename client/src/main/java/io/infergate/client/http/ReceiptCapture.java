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
 * the payment figures, and the receipt from {@code PAYMENT-RESPONSE} {@code extensions["inference-receipt"]}
 * (nodes before 0.4 sent it in an {@code Infergate-Receipt} header: still read), checked against the call and
 * against the {@code Infergate-Receipt-Id} header that names it.
 */
final class ReceiptCapture {
  /** The response header naming the receipt: its id ({@code 0x} + EIP-712 digest). */
  static final String RECEIPT_ID_HEADER = "Infergate-Receipt-Id";
  /** The header earlier nodes carried the whole receipt in (base64 of its JSON). */
  static final String LEGACY_RECEIPT_HEADER = "Infergate-Receipt";
  /** The {@code PAYMENT-RESPONSE} extension that carries the receipt JSON. */
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
    var ext = settlement.extensions() == null ? null : settlement.extensions().get(RECEIPT_EXTENSION);
    SignedReceipt receipt = ext == null || ext.isNull() ? null : SignedReceipt.fromJson(ext);
    if (receipt == null) {
      String legacy = r.headers().firstValue(LEGACY_RECEIPT_HEADER).orElse(null);
      receipt = legacy == null ? null : SignedReceipt.fromHeader(legacy);
    }
    String named = r.headers().firstValue(RECEIPT_ID_HEADER).orElse(null);
    if (named != null && (receipt == null || !receipt.id().equalsIgnoreCase(named.strip()))) {
      throw new ReceiptFormatException("the Infergate-Receipt-Id header names " + named.strip() + " but PAYMENT-RESPONSE"
          + " extensions[\"inference-receipt\"] " + (receipt == null ? "carries no receipt" : "carries " + receipt.id()));
    }
    return receipt;
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
