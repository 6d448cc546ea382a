package io.infergate.contracts.devchain;

import java.time.Duration;

/**
 * How to run the dev chain.
 *
 * @param port           TCP port on 127.0.0.1; 0 picks a free one
 * @param chainId        the EIP-155 chain id; 31337 (anvil's default) is where the dev token may mint
 * @param accounts       how many funded dev accounts to create
 * @param blockTimeSeconds 0 mines a block per transaction (instant); otherwise an interval in seconds
 * @param startTimeout   how long to wait for the node to listen
 */
public record DevChainOptions(int port, long chainId, int accounts, int blockTimeSeconds, Duration startTimeout) {
    public static final long DEFAULT_CHAIN_ID = 31337;
    public static final int DEFAULT_ACCOUNTS = 10;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

    public DevChainOptions {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
        if (chainId <= 0) throw new IllegalArgumentException("chainId must be positive, got " + chainId);
        if (accounts < 1) throw new IllegalArgumentException("accounts must be at least 1, got " + accounts);
        if (blockTimeSeconds < 0) throw new IllegalArgumentException("blockTimeSeconds must not be negative");
    }

    /** Free port, chain 31337, ten accounts, instant mining. */
    public static DevChainOptions defaults() {
        return new DevChainOptions(0, DEFAULT_CHAIN_ID, DEFAULT_ACCOUNTS, 0, DEFAULT_START_TIMEOUT);
    }

    public DevChainOptions withPort(int newPort) {
        return new DevChainOptions(newPort, chainId, accounts, blockTimeSeconds, startTimeout);
    }

    public DevChainOptions withChainId(long newChainId) {
        return new DevChainOptions(port, newChainId, accounts, blockTimeSeconds, startTimeout);
    }
}
