package io.infergate.contracts.deploy;

import java.util.Objects;

/**
 * Addresses of a deployment (0x-prefixed, checksummed) and the chain they live on. This is what
 * {@code .infergate/dev/node.json} reports under {@code contracts}.
 */
public record DeployedContracts(
        long chainId,
        String batchSettlement,
        String erc3009Collector,
        String token,
        String receiptAnchor,
        String serviceRegistry) {

    public DeployedContracts {
        Objects.requireNonNull(batchSettlement, "batchSettlement");
        Objects.requireNonNull(erc3009Collector, "erc3009Collector");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(receiptAnchor, "receiptAnchor");
        Objects.requireNonNull(serviceRegistry, "serviceRegistry");
    }

    /** The CAIP-2 network id x402 uses, e.g. {@code eip155:31337}. */
    public String network() {
        return "eip155:" + chainId;
    }
}
