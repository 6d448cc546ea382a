/**
 * The resource server's voucher rules of {@code batch-settlement} as a pure function: {@link
 * io.infergate.host.payments.verify.VoucherVerifier#verify} takes the service's offer, the server's view of
 * the channel ({@link io.infergate.host.payments.verify.ChannelView}: ledger plus mirrored chain state), the
 * client's payload and the call's maximum price, and returns a {@link io.infergate.host.payments.verify.Verdict}:
 * accept (with the new voucher ceiling and the authorizer that signed it), reject (with the exact x402 error
 * code, a message saying what to do and, on a cumulative mismatch, the corrective channel and voucher state), or
 * "needs a chain check" for channels whose vouchers are signed by a possibly-ERC-1271 payer.
 *
 * <p>No I/O, no clock other than the injected one, no locks: serializing requests per channel and committing the
 * charge are the payment gate's and the ledger's work.
 */
package io.infergate.host.payments.verify;
