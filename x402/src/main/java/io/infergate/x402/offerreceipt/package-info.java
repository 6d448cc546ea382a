/**
 * The x402 {@code offer-receipt} extension in its EIP-712 form, as the reference implementation
 * ({@code @x402/extensions} 2.27.0) signs and verifies it: signed offers in the 402's
 * {@code extensions["offer-receipt"].info.offers[]} ({@link io.infergate.x402.offerreceipt.X402Offer}) and a
 * signed receipt in the {@code PAYMENT-RESPONSE}'s {@code extensions["offer-receipt"].info.receipt}
 * ({@link io.infergate.x402.offerreceipt.X402Receipt}). Domains are {@code {name, version: "1", chainId: 1}}
 * without a verifying contract. These prove that this server made the offer and was paid; Infergate's own
 * inference receipt ({@code io.infergate.x402.receipt}) says what was computed.
 */
package io.infergate.x402.offerreceipt;
