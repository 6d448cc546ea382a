package io.infergate.host.payments.gate;

import io.infergate.host.errors.PaymentRequiredException;
import io.infergate.host.payments.ledger.ChannelBusyException;
import io.infergate.host.payments.ledger.ChannelLease;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.payments.verify.ChannelView;
import io.infergate.host.payments.verify.Verdict;
import io.infergate.host.payments.verify.VoucherVerifier;
import io.infergate.host.plugins.LoadedService;
import io.infergate.host.plugins.PluginHost;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.wire.BatchSettlementError;
import io.infergate.x402.wire.BatchSettlementExtra;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequired;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.ResourceInfo;
import io.infergate.x402.wire.SchemePayload;
import io.infergate.x402.wire.SettlementResponse;
import io.infergate.x402.wire.X402Codec;
import io.infergate.x402.wire.X402FormatException;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import io.infergate.host.receipts.ReceiptIssuer;

/**
 * Gates a paid route (see the package doc for the sequence). The verification, the ledger and the deposit
 * all block (JDBC, chain), so they run on a worker; the event loop only parses headers and writes answers. A
 * voucher is admitted on the service worker that runs the call ({@link PaidAdmission}); a deposit here, on a
 * Vert.x worker.
 * Every refusal is a 402 carrying the offer again, the exact x402 error code and, on a cumulative
 * mismatch, the server's channel and voucher state so the client can resynchronise.
 */
public final class PaymentGate implements Handler<RoutingContext> {
  private final PaymentSettings settings;
  private final ChannelLedger ledger;
  private final VoucherVerifier verifier;
  private final PluginHost plugins;
  private final Optional<DepositFacilitator> facilitator;
  private final WithdrawalGuard withdrawals;
  private final CooperativeRefund refunds;
  private final String owner = "node-" + UUID.randomUUID();
  private final Optional<ReceiptIssuer> receipts;
  private final Function<LoadedService, ReceiptIssuer.ServiceFacts> facts;

  /**
   * @param facilitator submits deposits on chain; empty when the node has no chain connection
   * @param withdrawals the claim scheduler's dead-man rule (accept everything without a chain connection)
   */
  public PaymentGate(PaymentSettings settings, ChannelLedger ledger, VoucherVerifier verifier, PluginHost plugins,
      Optional<DepositFacilitator> facilitator, WithdrawalGuard withdrawals) {
    this(settings, ledger, verifier, plugins, facilitator, withdrawals, Optional.empty());
  }

  /**
   * @param facilitator submits deposits on chain; empty when the node has no chain connection
   * @param withdrawals the claim scheduler's dead-man rule (accept everything without a chain connection)
   * @param refunds submits cooperative refunds on chain; empty when the node has no chain connection (refund
   *     payloads are then refused with {@code refund_payload} and a message saying why)
   */
  public PaymentGate(PaymentSettings settings, ChannelLedger ledger, VoucherVerifier verifier, PluginHost plugins,
      Optional<DepositFacilitator> facilitator, WithdrawalGuard withdrawals, Optional<RefundFacilitator> refunds) {
    this(settings, ledger, verifier, plugins, facilitator, withdrawals, refunds, Optional.empty(), s -> null);
  }

  /**
   * @param receipts issues each paid call's receipt in its charge's transaction; empty: no receipts
   * @param facts what a service's receipts say about it (name, CIDs, runtime profile)
   */
  public PaymentGate(PaymentSettings settings, ChannelLedger ledger, VoucherVerifier verifier, PluginHost plugins,
      Optional<DepositFacilitator> facilitator, WithdrawalGuard withdrawals, Optional<RefundFacilitator> refunds,
      Optional<ReceiptIssuer> receipts, Function<LoadedService, ReceiptIssuer.ServiceFacts> facts) {
    this.receipts = receipts;
    this.facts = facts;
    this.refunds = new CooperativeRefund(settings, ledger, verifier, refunds, owner);
    this.withdrawals = withdrawals;
    this.settings = settings;
    this.ledger = ledger;
    this.verifier = verifier;
    this.plugins = plugins;
    this.facilitator = facilitator;
  }

  @Override
  public void handle(RoutingContext ctx) {
    gate(ctx, true);
  }

  /**
   * The gate for {@code GET} on a paid route: the stock x402 client probes a route and sends its refund with
   * {@code GET}. It answers the 402 and serves refunds; any other payment is refused with 405 (calls are POSTs).
   */
  public Handler<RoutingContext> refundsOnly() {
    return ctx -> gate(ctx, false);
  }

  private void gate(RoutingContext ctx, boolean calls) {
    String name = ctx.pathParam("model") != null ? ctx.pathParam("model") : ctx.pathParam("service");
    Optional<LoadedService> service = name == null ? Optional.empty() : plugins.catalog().find(name);
    if (service.isEmpty()) {
      ctx.next();    // the route answers 404
      return;
    }
    PaymentRequirements offer = offer(service.get());
    BigInteger price = offer.amount();
    ResourceInfo resource = new ResourceInfo(ctx.request().absoluteURI(), service.get().descriptor().description(),
        "application/json");
    String header = ctx.request().getHeader(X402Codec.PAYMENT_SIGNATURE_HEADER);
    if (header == null) {
      String message = "'" + name + "' costs up to " + price + " (atomic units of " + offer.asset()
          + ") per call; pay with x402 batch-settlement: see the PAYMENT-REQUIRED header";
      if (receipts.isEmpty()) {
        throw new PaymentRequiredException(message, PaymentRequired.of(resource, List.of(offer)));
      }
      // With receipts on, the offer is signed too (x402 offer-receipt), on a worker (signatures are cached).
      ReceiptIssuer issuer = receipts.get();
      ctx.vertx().executeBlocking(() -> signedOffers(issuer, resource, offer))
          .onComplete(signed -> ctx.fail(new PaymentRequiredException(message, signed.succeeded()
              ? new PaymentRequired(2, null, resource, List.of(offer), signed.result())
              : PaymentRequired.of(resource, List.of(offer)))));
      return;
    }
    PaymentPayload payment;
    try {
      payment = X402Codec.decodePaymentSignatureHeader(header);
    } catch (X402FormatException e) {
      throw refusal(resource, offer, e.error().orElse(BatchSettlementError.VOUCHER_SIGNATURE),
          "the PAYMENT-SIGNATURE header is not a valid x402 payment: " + e.getMessage());
    }
    if (payment.payload() instanceof SchemePayload.RefundPayload) {
      ctx.vertx().executeBlocking(() -> refunds.refund(resource, offer, payment, price))
          .onSuccess(settled -> answerRefund(ctx, settled))
          .onFailure(ctx::fail);
      return;
    }
    if (!calls) {
      ctx.fail(405);
      return;
    }
    LoadedService called = service.get();
    if (payment.payload() instanceof SchemePayload.DepositPayload) {
      // Chain transactions (seconds): admitted here on a Vert.x worker, never on an inference worker.
      ctx.vertx().executeBlocking(() -> admit(resource, offer, payment, price, called))
          .onSuccess(call -> attach(ctx, PaidAdmission.admitted(call, receipts.isPresent())))
          .onFailure(ctx::fail);
      return;
    }
    attach(ctx, PaidAdmission.onWorker(() -> admit(resource, offer, payment, price, called), receipts.isPresent()));
  }

  /** Hands the payment to the route; whatever lease is still held when the response ends is released then. */
  private static void attach(RoutingContext ctx, PaidAdmission admission) {
    ctx.put(PaidAdmission.KEY, admission);
    ctx.addEndHandler(v -> {
      if (admission.holdsLease()) {     // a committed charge released the lease in its own transaction
        ctx.vertx().executeBlocking(() -> {
          admission.release();
          return null;
        });
      }
    });
    ctx.next();
  }

  /** Leases the channel, verifies (and deposits), and returns the accepted call; releases on refusal. */
  private PaidCall admit(ResourceInfo resource, PaymentRequirements offer, PaymentPayload payment, BigInteger price,
      LoadedService service) {
    SchemePayload scheme = payment.payload();
    ChannelConfig config = scheme.channelConfig();
    String channelId = BatchSettlementTypedData.channelId(settings.channelDomain(), config).toString();
    ChannelLedger.Leased leased;
    try {
      leased = ledger.acquireAndGet(channelId, owner, settings.leaseTtl());
    } catch (ChannelBusyException e) {
      throw refusal(resource, offer, BatchSettlementError.CHANNEL_BUSY,
          "channel " + channelId + " is serving another call; send calls on one channel one at a time, or retry");
    }
    ChannelLease lease = leased.lease();
    try {
      Optional<ChannelState> known = leased.state();
      ChannelView view = known.map(s -> LedgerMapping.view(config, s)).orElseGet(() -> ChannelView.unknown(config));
      Verdict verdict = verifier.verify(offer, view, payment, price);
      if (verdict instanceof Verdict.Reject r) {
        throw rejected(resource, offer, r);
      }
      if (verdict instanceof Verdict.NeedsChainCheck) {
        throw refusal(resource, offer, BatchSettlementError.VOUCHER_SIGNATURE, "vouchers signed by the payer itself"
            + " (payerAuthorizer zero, e.g. an ERC-1271 wallet) are not accepted by this node; open the channel with a"
            + " payerAuthorizer key that signs vouchers");
      }
      Verdict.Accept accept = (Verdict.Accept) verdict;
      // Every ledger write is a durable commit (an fsync on SQLite, measured 0.3-3 ms each here), so the hot
      // path writes only what changed: the channel row once, the signer when it changes, then the charge.
      ChannelState state;
      if (scheme instanceof SchemePayload.DepositPayload deposit) {
        deposit(channelId, config, deposit, offer, resource);
        state = ledger.get(channelId).orElseThrow();
      } else if (known.isEmpty()) {
        state = ledger.upsertChannel(channelId, LedgerMapping.toLedger(config));
      } else {
        state = known.get();
      }
      if (!withdrawals.acceptsVouchers(state, java.time.Instant.now())) {
        throw refusal(resource, offer, BatchSettlementError.VERIFICATION_STATE_UNAVAILABLE, "channel " + channelId
            + " has a pending withdrawal that can be finalized before this node could claim a new voucher; open a"
            + " new channel to keep paying");
      }
      String signer = accept.authorizer().toString().toLowerCase(java.util.Locale.ROOT);
      if (!state.voucherSigner().map(signer::equals).orElse(false)) {
        ledger.cacheVoucherSigner(channelId, signer);     // does not change the channel's version
      }
      return new PaidCall(ledger, lease, state, accept.newMaxClaimable(), scheme.voucher().signature(), price,
          offer.network(), config.payer().toString(), error -> refusal(resource, offer, error,
              "the channel changed while the call ran; fetch its state from the 402 and sign a new voucher"),
          receipts.orElse(null), receipts.isPresent() ? facts.apply(service) : null, resource.url());
    } catch (RuntimeException e) {
      ledger.release(lease);
      throw e;
    }
  }

  private void deposit(String channelId, ChannelConfig config, SchemePayload.DepositPayload deposit,
      PaymentRequirements offer, ResourceInfo resource) {
    DepositFacilitator chain = facilitator.orElseThrow(() -> refusal(resource, offer,
        BatchSettlementError.DEPOSIT_TRANSACTION_FAILED, "this node is not connected to a chain and cannot submit"
            + " deposits; deposit on chain yourself, then pay with a voucher"));
    DepositFacilitator.Deposited d;
    try {
      d = chain.deposit(deposit, offer);
    } catch (RuntimeException e) {
      throw refusal(resource, offer, BatchSettlementError.DEPOSIT_TRANSACTION_FAILED,
          "the deposit transaction failed: " + e.getMessage());
    }
    ledger.upsertChannel(channelId, LedgerMapping.toLedger(config));
    ChannelState s = ledger.get(channelId).orElseThrow();
    ledger.applyChainState(channelId, d.balance(), d.totalClaimed(), s.chain().withdrawRequestedAt(),
        s.chain().refundNonce(), d.blockNumber());
  }

  /** {@code extensions} of a 402 with the offer signed as x402 offer-receipt {@code info.offers[0]}. */
  private static com.fasterxml.jackson.databind.node.ObjectNode signedOffers(ReceiptIssuer issuer,
      ResourceInfo resource, PaymentRequirements offer) {
    var wire = X402Codec.toJson(offer);
    var terms = new io.infergate.x402.offerreceipt.OfferReceipt.Terms(wire.path("scheme").asText(),
        wire.path("network").asText(), wire.path("asset").asText(), wire.path("payTo").asText(),
        wire.path("amount").asText());
    var extensions = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    extensions.set(io.infergate.x402.offerreceipt.OfferReceipt.KEY, io.infergate.x402.offerreceipt.OfferReceipt
        .offersExtension(List.of(issuer.signedOffer(resource.url(), terms, 0, offer.maxTimeoutSeconds()))));
    return extensions;
  }

  /** This service's offer: its price as the maximum per call, the node's asset, payee and channel terms. */
  public PaymentRequirements offer(LoadedService service) {
    Address payTo = service.descriptor().payTo().map(Address::parse).orElse(settings.payTo());
    return PaymentRequirements.batchSettlement(settings.chainId(), service.descriptor().price().maxPerCall(),
        settings.asset(), payTo, settings.maxTimeoutSeconds(), BatchSettlementExtra.of(settings.receiverAuthorizer(),
            settings.withdrawDelaySeconds(), settings.assetName(), settings.assetVersion()));
  }

  /** A refund is answered here: the route is not run (it is a payment operation, not a paid call). */
  private static void answerRefund(RoutingContext ctx, SettlementResponse settled) {
    ctx.response().setStatusCode(200)
        .putHeader(X402Codec.PAYMENT_RESPONSE_HEADER, X402Codec.encodePaymentResponseHeader(settled))
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("refunded", settled.amount()).put("transaction", settled.transaction())
            .put("channelId", settled.extra().channelState().channelId().toString()).encode());
  }

  /** The 402 for a verifier's refusal; a corrective one (channel and voucher state) on a cumulative mismatch. */
  static PaymentRequiredException rejected(ResourceInfo resource, PaymentRequirements offer, Verdict.Reject r) {
    return new PaymentRequiredException(r.message(), PaymentRequired.of(resource,
        List.of(r.channelState() == null ? offer : offer.withCorrection(r.channelState(), r.voucherState())))
        .withError(r.error().code()));
  }

  static PaymentRequiredException refusal(ResourceInfo resource, PaymentRequirements offer,
      BatchSettlementError error, String message) {
    return new PaymentRequiredException(message, PaymentRequired.of(resource, List.of(offer)).withError(error.code()));
  }
}
