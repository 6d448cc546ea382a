package io.infergate.host.payments.gate;

import io.infergate.host.errors.PaymentRequiredException;
import io.infergate.host.payments.ledger.ChannelLease;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.payments.ledger.ChargeResult;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.x402.crypto.Hex;
import io.infergate.x402.wire.BatchSettlementError;
import io.infergate.x402.wire.SettlementResponse;
import io.infergate.x402.wire.X402Codec;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.math.BigInteger;
import java.util.Map;
import java.util.function.Function;

/**
 * A call whose payment the gate accepted: the channel is leased to it and its voucher verified. The route
 * calls {@link #settle} once the service succeeded; the charge is then recorded (compare-and-set on the
 * channel's version, durable before this returns) and becomes the {@code PAYMENT-RESPONSE} header. If the
 * call fails, nothing is recorded and the lease is released when the response ends.
 */
public final class PaidCall {
  static final String KEY = "infergate.paidCall";

  private final ChannelLedger ledger;
  private final ChannelLease lease;
  private final ChannelState before;
  private final BigInteger voucherMax;
  private final byte[] signature;
  private final BigInteger price;
  private final String network;
  private final String payer;
  private final Function<BatchSettlementError, PaymentRequiredException> refusal;
  private volatile boolean released;

  PaidCall(ChannelLedger ledger, ChannelLease lease, ChannelState before, BigInteger voucherMax, String signature,
      BigInteger price, String network, String payer, Function<BatchSettlementError, PaymentRequiredException> refusal) {
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
   * The headers to send with a successful answer: {@code PAYMENT-RESPONSE} when the call was paid, none
   * when payments are off. Completes only after the charge is durable.
   */
  public static Future<Map<String, String>> settle(RoutingContext ctx, InferenceOutput output) {
    PaidCall call = ctx.get(KEY);
    if (call == null) {
      return Future.succeededFuture(Map.of());
    }
    return ctx.vertx().executeBlocking(() -> call.commit(output));
  }

  /** The amount charged for {@code output}: what the service asked, at most the offered price. */
  BigInteger chargeFor(InferenceOutput output) {
    return output.charge().map(c -> c.min(price)).orElse(price);
  }

  private Map<String, String> commit(InferenceOutput output) {
    BigInteger charge = chargeFor(output);
    BigInteger newCharged = before.chargedCumulativeAmount().add(charge);
    ChannelState current = before;
    for (int attempt = 0; attempt < 3; attempt++) {
      ChargeResult r = ledger.recordChargeAndRelease(lease, current.version(), newCharged, voucherMax, signature);
      if (r instanceof ChargeResult.Committed c) {
        released = true;     // the charge's transaction released the lease too
        SettlementResponse response = SettlementResponse.voucher(network, payer, charge, LedgerMapping.wire(c.state()));
        return Map.of(X402Codec.PAYMENT_RESPONSE_HEADER, X402Codec.encodePaymentResponseHeader(response));
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
    }
  }
}
