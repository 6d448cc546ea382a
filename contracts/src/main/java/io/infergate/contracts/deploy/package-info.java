/**
 * Deploying Infergate's contracts with web3j.
 *
 * <p>{@link io.infergate.contracts.deploy.ContractDeployer#deployAll} deploys BatchSettlement, the ERC-3009
 * deposit collector, the dev token (unless an existing asset is given), ServiceRegistry and ReceiptAnchor, and
 * returns a {@link io.infergate.contracts.deploy.DeployedContracts}. On a dev chain it can also place
 * BatchSettlement and the collector at the canonical x402 addresses ({@link
 * io.infergate.contracts.deploy.CanonicalX402Addresses}), which stock x402 clients hard-code in their EIP-712
 * domain.
 */
package io.infergate.contracts.deploy;
