/**
 * EIP-712 digests of the x402 batch-settlement types ({@code ChannelConfig}, {@code Voucher}, {@code Refund}) and
 * of ERC-3009 {@code ReceiveWithAuthorization}, written for the fixed types (no JSON typed-data parsing).
 *
 * <p>Deliberately minimal: enough for the deployer's checks and the integration tests, which compare every digest
 * here with the contract's own {@code getChannelId}/{@code getVoucherDigest}/{@code getRefundDigest}. The host's
 * hot-path verifier lives with the payments code. Start with {@link io.infergate.contracts.eip712.X402TypedData}.
 */
package io.infergate.contracts.eip712;
