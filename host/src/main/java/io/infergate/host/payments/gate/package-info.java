/**
 * The payment gate: every paid route runs behind {@link io.infergate.host.payments.gate.PaymentGate}.
 *
 * <p>Per call: no {@code PAYMENT-SIGNATURE} → 402 with the service's offer; else the payload is decoded on the
 * event loop and handed to the route as a {@link io.infergate.host.payments.gate.PaidAdmission}. The service
 * worker that will run the call first admits it: the channel is leased in the ledger (one call per channel at a
 * time, across replicas) and the voucher is checked by the verifier against the ledger's view (no chain RPC);
 * then the call runs on that same worker. Only when it succeeds does
 * {@link io.infergate.host.payments.gate.PaidCall#commitOnThisThread} record the charge (compare-and-set) and
 * produce {@code PAYMENT-RESPONSE}; the answer leaves once the charge is on disk. On failure nothing is charged
 * and the same voucher may be sent again. Deposits are admitted by the gate on a Vert.x worker instead (they wait
 * for the chain).
 *
 * <p>A {@code refund} payload is not a call: {@link io.infergate.host.payments.gate.CooperativeRefund} leases the
 * channel, verifies the zero-charge voucher, and hands the on-chain part to a
 * {@link io.infergate.host.payments.gate.RefundFacilitator} (the chain side; none without a chain connection).
 * Deposits go the same way through {@link io.infergate.host.payments.gate.DepositFacilitator}.
 */
package io.infergate.host.payments.gate;
