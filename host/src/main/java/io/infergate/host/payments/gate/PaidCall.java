package io.infergate.host.payments.gate;

import io.infergate.host.errors.PaymentRequiredException;
import io.infergate.host.payments.ledger.ChannelLease;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.payments.ledger.ChargeResult;
import io.infergate.host.payments.ledger.ChargeHook;
import io.infergate.host.receipts.ReceiptIssuer;
import io.infergate.host.receipts.StoredReceipt;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.Hex;
import io.infergate.x402.wire.BatchSettlementError;
import io.infergate.x402.wire.SettlementResponse;
import io.infergate.x402.wire.X402Codec;
import io.vertx.core.buffer.Buffer;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A call whose payment the gate accepted: the channel is leased to it and its voucher verified. The route
 * calls {@link #commitOnThisThread} once the service succeeded; the charge is then recorded (compare-and-set on the
 * channel's version; the answer leaves once it is durable) and becomes the {@code PAYMENT-RESPONSE} header. If the
 * call fails or the charge is refused, nothing is recorded and the lease is released on the worker before the error
 * is answered (the end of the response releases whatever is still held, as a safety net).
 *
 * <p>With receipts on, the call's inference receipt is issued in the charge's transaction, on the worker that
 * commits it, and answered in {@code PAYMENT-RESPONSE} {@code extensions["inference-receipt"]} (the same document
 * {@code GET /v1/receipts/{id}} serves), with its id in the {@value #RECEIPT_ID_HEADER} header.
 */
public final class PaidCall {
  /**
   * The response header naming the receipt ({@code 0x} + its EIP-712 digest, the id {@code GET /v1/receipts/{id}}
   * serves it under). The receipt itself travels once, in {@code PAYMENT-RESPONSE}.
   */
  public static final String RECEIPT_ID_HEADER = "Infergate-Receipt-Id";
  /** The {@code PAYMENT-RESPONSE} extension carrying the receipt. */
  public static final String RECEIPT_EXTENSION = "inference-receipt";

  private final ChannelLedger ledger;
  private final ChannelLease lease;
  private final ChannelState before;
  private final BigInteger voucherMax;
  private final byte[] signature;
  private final BigInteger price;
  private final String network;
  private final String payer;
  private final Function<BatchSettlementError, PaymentRequiredException> refusal;
  private final ReceiptIssuer issuer;                 // null: no receipts
  private final ReceiptIssuer.ServiceFacts facts;     // null: no receipts
  private final String resourceUrl;
  private volatile boolean released;

  PaidCall(ChannelLedger ledger, ChannelLease lease, ChannelState before, BigInteger voucherMax, String signature,
      BigInteger price, String network, String payer, Function<BatchSettlementError, PaymentRequiredException> refusal,
      ReceiptIssuer issuer, ReceiptIssuer.ServiceFacts facts, String resourceUrl) {
    this.resourceUrl = resourceUrl;
    this.issuer = issuer;
    this.facts = facts;
    this.ledger = ledger;
    this.lease = lease;
    this.before = before;
    this.voucherMax = voucherMax;
    this.signature = Hex.decode(signature);
    this.price = price;
    this.network = network;
    this.payer = payer;
    this.refusal = refusal;
  }

  /**
   * The headers that answer a committed charge ({@code PAYMENT-RESPONSE}, and the receipt), and when they may be
   * sent: {@code durable} completes once the charge is on disk (at once where COMMIT is durable by itself; after the
   * ledger's group fsync on SQLite). Until then the answer must not leave.
   */
  public record Charged(Map<String, String> headers, CompletionStage<Void> durable) {
    /** A free call's: no headers, nothing to wait for. */
    public static final Charged FREE = new Charged(Map.of(), java.util.concurrent.CompletableFuture.completedStage(null));
  }

  /**
   * Records the charge (and signs and journals the receipt) on the calling thread, which must not be an event
   * loop; returns the headers to send: {@code PAYMENT-RESPONSE} (and the receipt), with when they may leave. The
   * commit is done when it returns (it survives a crash of this process); the disk's fsync may still be running,
   * and this thread is free for the next call meanwhile. Throws the refusal ({@code PaymentRequiredException}) when
   * the channel changed under the call. The
   * {@code requestHash} is the {@link io.infergate.x402.receipt.RequestHash} of the request as received,
   * {@code responseBody} the exact bytes that will be sent (its keccak256 is the receipt's {@code responseHash});
   * without receipts both are ignored and may be null.
   */
  public Charged commitOnThisThread(InferenceOutput output, Bytes32 requestHash, Buffer responseBody) {
    if (io.vertx.core.Context.isOnEventLoopThread()) {
      throw new IllegalStateException("a charge is a blocking database write: commit it on a worker, not an event loop");
    }
    try {
      return commit(output, requestHash, responseBody);
    } catch (RuntimeException e) {
      // Refused (the channel changed under the call) or failed: nothing was charged; free the channel now, before
      // the error is answered, so the client's corrected voucher finds it free.
      try {
        release();
      } catch (RuntimeException r) {
        e.addSuppressed(r);
      }
      throw e;
    }
  }

  /** The amount charged for {@code output}: what the service asked, at most the offered price. */
  BigInteger chargeFor(InferenceOutput output) {
    return output.charge().map(c -> c.min(price)).orElse(price);
  }

  private Charged commit(InferenceOutput output, Bytes32 requestHash, Buffer responseBody) {
    BigInteger charge = chargeFor(output);
    BigInteger newCharged = before.chargedCumulativeAmount().add(charge);
    ReceiptIssuer.Pending pending = null;
    if (issuer != null) {
      if (requestHash == null || responseBody == null) {
        throw new IllegalStateException("receipts are on but the route passed no request hash or response body");
      }
      pending = issuer.pending(new ReceiptIssuer.Draft(facts, requestHash, Bytes32.keccak(responseBody.getBytes()),
          voucherMax));
    }
    ChargeHook hook = pending == null ? ChargeHook.NONE : pending;
    ChannelState current = before;
    for (int attempt = 0; attempt < 3; attempt++) {
      ChargeResult r = ledger.recordChargeAndReleaseDeferred(lease, current.version(), newCharged, voucherMax,
          signature, hook);
      if (r instanceof ChargeResult.Committed c) {
        released = true;     // the charge's transaction released the lease too
        SettlementResponse response = SettlementResponse.voucher(network, payer, charge, LedgerMapping.wire(c.state()));
        if (pending == null) {
          return new Charged(Map.of(X402Codec.PAYMENT_RESPONSE_HEADER,
              X402Codec.encodePaymentResponseHeader(response)), c.durable());
        }
        StoredReceipt receipt = pending.receipt().orElseThrow();
        // Written straight into PAYMENT-RESPONSE: the receipt document once, and the standard x402 offer-receipt
        // receipt (serialized once per payer and second) for clients that know only that extension.
        String offerReceipt = issuer.x402ReceiptExtensionJson(network, resourceUrl, payer);
        Map<String, X402Codec.ExtensionWriter> extensions = new LinkedHashMap<>();
        extensions.put(RECEIPT_EXTENSION, receipt::write);
        extensions.put(io.infergate.x402.offerreceipt.OfferReceipt.KEY, g -> g.writeRawValue(offerReceipt));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(X402Codec.PAYMENT_RESPONSE_HEADER, X402Codec.encodePaymentResponseHeader(response, extensions));
        headers.put(RECEIPT_ID_HEADER, receipt.id());
        return new Charged(headers, c.durable());
      }
      ChargeResult.Refused refused = (ChargeResult.Refused) r;
      // A chain update (the watcher) bumps the version under our lease; the charge is still ours to record if
      // nothing about the charge changed and the new balance still covers the voucher.
      ChannelState now = refused.current().orElse(null);
      if (refused.reason() == ChargeResult.Reason.STALE_VERSION && now != null
          && now.chargedCumulativeAmount().equals(before.chargedCumulativeAmount())
          && now.chain().balance().compareTo(voucherMax) >= 0) {
        current = now;
        continue;
      }
      throw refusal.apply(refused.reason() == ChargeResult.Reason.LEASE_LOST ? BatchSettlementError.CHANNEL_BUSY
          : BatchSettlementError.CUMULATIVE_AMOUNT_MISMATCH);
    }
    throw refusal.apply(BatchSettlementError.CHANNEL_BUSY);
  }

  /** Whether the lease is already free (the committed charge released it). */
  boolean released() {
    return released;
  }

  void release() {
    if (!released) {
      ledger.release(lease);
      released = true;
    }
  }
}
