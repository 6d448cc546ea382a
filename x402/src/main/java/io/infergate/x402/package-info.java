/**
 * x402 v2 {@code batch-settlement} on EVM, as both the node and the consumer client need it.
 *
 * <p>{@code crypto}: Keccak-256, addresses, secp256k1 signing and strict recovery (low-s, v ∈ {27, 28}).
 * {@code eip712}: the domain and the scheme's fixed types (ChannelConfig, Voucher, Refund, ClaimBatch,
 * ERC-3009 ReceiveWithAuthorization), hashed by hand for speed. {@code wire}: the x402 v2 messages and
 * their base64 header codec. Everything is checked against the npm reference client in tests.
 */
package io.infergate.x402;
