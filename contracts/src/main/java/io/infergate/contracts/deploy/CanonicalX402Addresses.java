package io.infergate.contracts.deploy;

/**
 * Where the x402 reference deployment (CREATE2, same on every chain) keeps its batch-settlement contracts, as
 * hard-coded by {@code @x402/evm} 2.27.0. The reference client signs vouchers and channel ids under the domain
 * of {@link #BATCH_SETTLEMENT} and ERC-3009 deposits to {@link #ERC3009_DEPOSIT_COLLECTOR}.
 */
public final class CanonicalX402Addresses {
    public static final String BATCH_SETTLEMENT = "0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003";
    public static final String ERC3009_DEPOSIT_COLLECTOR = "0x4020806089470a89826cB9fB1f4059150b550004";
    public static final String PERMIT2_DEPOSIT_COLLECTOR = "0x4020425FAf3B746C082C2f942b4E5159887B0005";
    /**
     * Multicall3, which the reference facilitator reads channel state through ({@code tryAggregate}). Present on
     * real chains; on dev chains the deployer places {@code DevMulticall} here.
     */
    public static final String MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11";

    private CanonicalX402Addresses() {}
}
