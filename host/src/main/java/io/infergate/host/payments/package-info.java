/**
 * Payments: x402 v2 {@code batch-settlement} on the node. {@code gate} guards paid routes, {@code verify}
 * holds the voucher rules, {@code ledger} the durable channel state, {@code chain} the watcher, deposits and
 * claims; {@link io.infergate.host.payments.PaymentsStatus} reports money and chain state to operators.
 */
package io.infergate.host.payments;
