/**
 * The payment gate: every paid route runs behind {@link io.infergate.host.payments.gate.PaymentGate}.
 *
 * <p>Per call: no {@code PAYMENT-SIGNATURE} → 402 with the service's offer; else the payload is decoded,
 * the channel is leased in the ledger (one call per channel at a time, across replicas), the voucher is
 * checked by the verifier against the ledger's view (no chain RPC), and the call runs. Only when it
 * succeeds does {@link io.infergate.host.payments.gate.PaidCall#commit} record the charge (compare-and-set,
 * durable before the response leaves) and produce {@code PAYMENT-RESPONSE}; on failure nothing is charged
 * and the same voucher may be sent again.
 *
 * <p>A {@code refund} payload is not a call: {@link io.infergate.host.payments.gate.CooperativeRefund} leases the
 * channel, verifies the zero-charge voucher, and hands the on-chain part to a
 * {@link io.infergate.host.payments.gate.RefundFacilitator} (the chain side; none without a chain connection).
 * Deposits go the same way through {@link io.infergate.host.payments.gate.DepositFacilitator}.
 */
package io.infergate.host.payments.gate;
