package io.infergate.host.http;

import io.infergate.host.oip.OipRequestDecoder;
import io.infergate.host.payments.gate.PaidAdmission;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.RequestHash;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * What a paid call's receipt hashes about its request, captured on the event loop (cheap: references only) and
 * hashed on the worker that finishes the call: service, path as requested (no query), the OIP binary extension's
 * {@code Inference-Header-Content-Length} (0 without one), and the body bytes as received.
 */
record ReceiptInputs(String service, String path, long headerLength, Buffer body) {

  /** The inputs of this call, or null when it gets no receipt (unpaid, or receipts off). */
  static ReceiptInputs capture(RoutingContext ctx, String service) {
    if (!PaidAdmission.issuesReceipt(ctx)) {
      return null;
    }
    String header = ctx.request().getHeader(OipRequestDecoder.HEADER_LENGTH);
    long length = 0;
    if (header != null) {
      try {
        length = Math.max(0, Long.parseLong(header.trim()));
      } catch (NumberFormatException e) {
        length = 0;     // the decoder refuses such a request before it could be charged
      }
    }
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    return new ReceiptInputs(service, ctx.request().path(), length, body == null ? Buffer.buffer() : body);
  }

  /** The receipt's {@code requestHash}; call it off the event loop (it hashes the whole body). */
  Bytes32 requestHash() {
    byte[] bytes = body.getBytes();
    return RequestHash.of(service, path, headerLength, bytes);
  }

  /** {@link #requestHash()} of {@code inputs}, null when there are none. */
  static Bytes32 hashOf(ReceiptInputs inputs) {
    return inputs == null ? null : inputs.requestHash();
  }
}
