package io.infergate.contracts.deploy;

import java.math.BigInteger;
import java.time.Duration;

/**
 * What {@link ContractDeployer#deployAll} deploys and how it waits.
 *
 * @param canonicalX402Addresses place BatchSettlement and the ERC-3009 collector at the canonical x402 addresses
 *                               with {@code anvil_setCode} (dev chains only; see {@link CanonicalX402Addresses})
 * @param existingToken          payment asset to use instead of deploying the dev token ({@code null} deploys
 *                               DevUsd, which can only mint on chain ids 31337 and 1337)
 * @param receiptPollInterval    how often to ask for a transaction receipt
 * @param receiptTimeout         how long to wait for each transaction
 * @param maxGasLimit            upper bound on a single transaction's gas (estimates above it fail)
 */
public record DeployOptions(
        boolean canonicalX402Addresses,
        String existingToken,
        Duration receiptPollInterval,
        Duration receiptTimeout,
        BigInteger maxGasLimit) {
    public static final Duration DEV_POLL_INTERVAL = Duration.ofMillis(50);
    public static final Duration CHAIN_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofMinutes(5);
    public static final BigInteger DEFAULT_MAX_GAS_LIMIT = BigInteger.valueOf(15_000_000);

    /** Local anvil: dev token, canonical x402 addresses, fast polling. */
    public static DeployOptions devChain() {
        return new DeployOptions(true, null, DEV_POLL_INTERVAL, Duration.ofSeconds(30), DEFAULT_MAX_GAS_LIMIT);
    }

    /** A real chain: an existing asset (e.g. USDC), contracts at the addresses they are created at. */
    public static DeployOptions realChain(String asset) {
        if (asset == null || asset.isBlank()) {
            throw new IllegalArgumentException("a real-chain deployment needs the payment asset's address (e.g. USDC)");
        }
        return new DeployOptions(false, asset, CHAIN_POLL_INTERVAL, DEFAULT_RECEIPT_TIMEOUT, DEFAULT_MAX_GAS_LIMIT);
    }
}
