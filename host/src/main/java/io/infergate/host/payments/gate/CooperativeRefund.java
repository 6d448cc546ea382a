package io.infergate.host.payments.gate;

import io.infergate.host.errors.PaymentRequiredException;
import io.infergate.host.payments.ledger.ChannelBusyException;
import io.infergate.host.payments.ledger.ChannelLease;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.payments.verify.ChannelView;
import io.infergate.host.payments.verify.Verdict;
import io.infergate.host.payments.verify.VoucherVerifier;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.wire.BatchSettlementError;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.ResourceInfo;
import io.infergate.x402.wire.SchemePayload.RefundPayload;
import io.infergate.x402.wire.SettlementResponse;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;

/**
 * A {@code refund} payload (spec "Cooperative refund flow"): a payment operation, not a paid call, so the
 * protected route never runs. The channel is leased for the whole refund, so no voucher can be charged between
 * the check and the transaction; the zero-charge voucher is verified like any other (ceiling equal to the
 * node's charge); the amount defaults to everything not charged ({@code balance - chargedCumulativeAmount})
 * and may not exceed it; then the facilitator claims the charge and refunds in one transaction, and the ledger
 * mirrors the channel after it.
 */
final class CooperativeRefund {
  /** A refund waits for its transaction; the lease must outlive that, and expires on its own after a crash. */
  private static final Duration MIN_LEASE = Duration.ofMinutes(3);

  private final PaymentSettings settings;
  private final ChannelLedger ledger;
  private final VoucherVerifier verifier;
  private final Optional<RefundFacilitator> facilitator;
  private final String owner;

  CooperativeRefund(PaymentSettings settings, ChannelLedger ledger, VoucherVerifier verifier,
      Optional<RefundFacilitator> facilitator, String owner) {
    this.settings = settings;
    this.ledger = ledger;
    this.verifier = verifier;
    this.facilitator = facilitator;
    this.owner = owner;
  }

  /** Refunds and returns the {@code PAYMENT-RESPONSE}; a 402 with the exact code when it cannot. Blocks. */
  SettlementResponse refund(ResourceInfo resource, PaymentRequirements offer, PaymentPayload payment,
      BigInteger price) {
    RefundPayload refund = (RefundPayload) payment.payload();
    RefundFacilitator chain = facilitator.orElseThrow(() -> PaymentGate.refusal(resource, offer,
        BatchSettlementError.REFUND_PAYLOAD, "this node is not connected to a chain (payments.rpc-url is not set)"
            + " and cannot submit cooperative refunds; ask its operator, or take the escrow back on chain with"
            + " initiateWithdraw, then finalizeWithdraw after the withdraw delay"));
    ChannelConfig config = refund.channelConfig();
    String channelId = BatchSettlementTypedData.channelId(settings.channelDomain(), config).toString();
    ChannelLease lease;
    try {
      lease = ledger.acquire(channelId, owner, settings.leaseTtl().compareTo(MIN_LEASE) > 0 ? settings.leaseTtl()
          : MIN_LEASE);
    } catch (ChannelBusyException e) {
      throw PaymentGate.refusal(resource, offer, BatchSettlementError.CHANNEL_BUSY, "channel " + channelId
          + " is serving a call; ask for the refund again once it is done");
    }
    try {
      ChannelState state = ledger.get(channelId).orElse(null);
      ChannelView view = state == null ? ChannelView.unknown(config) : LedgerMapping.view(config, state);
      Verdict verdict = verifier.verify(offer, view, payment, price);
      if (verdict instanceof Verdict.Reject r) {
        throw PaymentGate.rejected(resource, offer, r);
      }
      if (verdict instanceof Verdict.NeedsChainCheck) {
        throw PaymentGate.refusal(resource, offer, BatchSettlementError.VOUCHER_SIGNATURE, "refund vouchers signed by"
            + " the payer itself (payerAuthorizer zero) are not accepted by this node");
      }
      BigInteger charged = view.chargedCumulativeAmount();
      BigInteger amount = amount(resource, offer, refund, view);
      RefundFacilitator.Refunded done;
      try {
        done = chain.refund(refund, charged, amount);
      } catch (RefundFacilitator.Refused e) {
        throw PaymentGate.refusal(resource, offer, e.code(), e.getMessage());
      }
      ledger.applyChainState(channelId, done.balance(), done.totalClaimed(), done.withdrawRequestedAt(),
          done.refundNonce(), done.blockNumber());
      ChannelState after = ledger.get(channelId).orElseThrow();
      return new SettlementResponse(true, null, null, done.transaction(), offer.network(), config.payer().toString(),
          done.amount().toString(), new SettlementResponse.Extra(null, LedgerMapping.wire(after), null), null);
    } finally {
      ledger.release(lease);
    }
  }

  /** The requested amount, or everything not charged; never more than that (the rest is the node's). */
  private static BigInteger amount(ResourceInfo resource, PaymentRequirements offer, RefundPayload refund,
      ChannelView view) {
    BigInteger refundable = view.balance().subtract(view.chargedCumulativeAmount());
    if (refund.amount() == null) {
      return refundable;
    }
    if (refund.amount().compareTo(refundable) > 0) {
      throw PaymentGate.refusal(resource, offer, BatchSettlementError.REFUND_AMOUNT_INVALID, "a refund of "
          + refund.amount() + " exceeds what the channel holds beyond the node's charges: balance " + view.balance()
          + " - charged " + view.chargedCumulativeAmount() + " = " + refundable + "; ask for at most " + refundable
          + ", or omit amount to refund all of it");
    }
    return refund.amount();
  }
}
