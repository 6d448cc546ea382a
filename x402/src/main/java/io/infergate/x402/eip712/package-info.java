/**
 * EIP-712 hashing written for the fixed types of the x402 {@code batch-settlement} scheme, without a generic
 * typed-data encoder on the hot path (web3j's JSON encoder costs ~330 µs a digest; these cost a few µs).
 *
 * <p>Start at {@link io.infergate.x402.eip712.BatchSettlementTypedData}: {@code channelId(config)},
 * {@code voucherDigest}, {@code refundDigest}, {@code claimBatchDigest}, all under an {@link
 * io.infergate.x402.eip712.Eip712Domain} ({@code "x402 Batch Settlement"}, {@code "1"}, chainId,
 * contract). {@link io.infergate.x402.eip712.Erc3009} covers the token-side
 * {@code ReceiveWithAuthorization} a deposit carries, and its nonce derived from (channelId, salt). Every
 * value here is checked against viem's {@code hashTypedData} and {@code @x402/evm} 2.27.0 in the tests.
 */
package io.infergate.x402.eip712;
