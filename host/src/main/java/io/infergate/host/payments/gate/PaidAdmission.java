package io.infergate.host.payments.gate;

import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * The payment of one request, as the gate hands it to the paid route. A voucher payment is admitted (channel
 * leased, voucher verified against the ledger) by {@link #admitOnThisThread} on the service worker that then runs
 * the call, as the first step of that worker's task: no hop to a Vert.x worker and back to the event loop before
 * the call is queued. A deposit payment (chain transactions, seconds) was admitted by the gate on a Vert.x worker
 * already, so an inference worker never waits for a block. Either way the route gets the {@link PaidCall}, commits
 * it when the service succeeded, and the lease is released when the response ends if the charge did not.
 */
public final class PaidAdmission {
  static final String KEY = "infergate.paidAdmission";

  private final Supplier<PaidCall> admit;
  private final boolean receipt;
  private volatile PaidCall call;

  private PaidAdmission(Supplier<PaidCall> admit, PaidCall call, boolean receipt) {
    this.admit = admit;
    this.call = call;
    this.receipt = receipt;
  }

  /** A payment to admit on the worker that runs the call. */
  static PaidAdmission onWorker(Supplier<PaidCall> admit, boolean receipt) {
    return new PaidAdmission(admit, null, receipt);
  }

  /** A payment the gate admitted already (a deposit). */
  static PaidAdmission admitted(PaidCall call, boolean receipt) {
    return new PaidAdmission(null, call, receipt);
  }

  /** The payment of this request, or null when the route is free (payments off). */
  public static PaidAdmission of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** Whether this request will be answered with a receipt (so the route should capture and hash its request). */
  public static boolean issuesReceipt(RoutingContext ctx) {
    PaidAdmission a = of(ctx);
    return a != null && a.receipt;
  }

  /**
   * Leases the channel and verifies the voucher on the calling thread (a worker, never an event loop: the ledger
   * blocks), once; returns the accepted call or throws the 402 ({@code PaymentRequiredException}) that refuses it.
   */
  public PaidCall admitOnThisThread() {
    PaidCall admitted = call;
    if (admitted != null) {
      return admitted;
    }
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("admitting a payment reads and writes the ledger: do it on a worker");
    }
    synchronized (this) {
      if (call == null) {
        call = admit.get();
      }
      return call;
    }
  }

  /** The admitted call (after {@link #admitOnThisThread}). */
  public PaidCall call() {
    PaidCall admitted = call;
    if (admitted == null) {
      throw new IllegalStateException("the payment was not admitted yet");
    }
    return admitted;
  }

  /** Whether a lease is still held (admitted, and no charge released it): the end of the response frees it. */
  boolean holdsLease() {
    PaidCall admitted = call;
    return admitted != null && !admitted.released();
  }

  /**
   * Frees the channel if this payment was admitted and not charged (the call failed). Blocking (a ledger write): call
   * it on a worker. Releasing twice, or after the charge released it, does nothing.
   */
  public void release() {
    PaidCall admitted = call;
    if (admitted != null) {
      admitted.release();
    }
  }
}
