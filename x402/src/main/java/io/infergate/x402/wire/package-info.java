/**
 * The x402 v2 wire format of the {@code batch-settlement} scheme: immutable records for {@link
 * io.infergate.x402.wire.PaymentRequired} (the 402 offer), {@link
 * io.infergate.x402.wire.PaymentPayload} (what the client pays with: a {@code deposit}, {@code voucher}
 * or {@code refund} {@link io.infergate.x402.wire.SchemePayload}) and {@link
 * io.infergate.x402.wire.SettlementResponse}, and {@link io.infergate.x402.wire.X402Codec},
 * which reads and writes them as JSON and as the base64 {@code PAYMENT-REQUIRED}, {@code PAYMENT-SIGNATURE} and
 * {@code PAYMENT-RESPONSE} headers.
 *
 * <p>Field names and encodings are those of the spec and of {@code @x402/core}/{@code @x402/evm} 2.27.0
 * (amounts as decimal strings, {@code withdrawDelay}/{@code maxTimeoutSeconds}/{@code withdrawRequestedAt} as
 * JSON numbers); the codec accepts a number where a string is expected and any address case with a valid
 * checksum, and is strict about what decides money: every amount must be a non-negative integer of its Solidity
 * width, every address and bytes32 well formed. A malformed header raises {@link
 * io.infergate.x402.wire.X402FormatException} naming the JSON path and, where the scheme has one, the
 * exact {@link io.infergate.x402.wire.BatchSettlementError} code.
 */
package io.infergate.x402.wire;
