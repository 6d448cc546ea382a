/**
 * Infergate's on-chain half, seen from Java.
 *
 * <p>The Solidity sources live in {@code src/main/solidity}; the build compiles them with the pinned solc-js and
 * generates web3j wrappers into {@code io.infergate.contracts.generated} (never committed). Around them:
 * <ul>
 *   <li>{@link io.infergate.contracts.deploy} deploys the five contracts and returns their addresses
 *       ({@link io.infergate.contracts.deploy.ContractDeployer} is the entry point);</li>
 *   <li>{@link io.infergate.contracts.devchain} runs a local anvil node for {@code ./infergate dev} and tests;</li>
 *   <li>{@link io.infergate.contracts.eip712} computes the x402 batch-settlement typed-data digests;</li>
 *   <li>{@link io.infergate.contracts.toolchain} finds the pinned npm toolchain ({@code tools/});</li>
 *   <li>{@link io.infergate.contracts.logs} reads events over block ranges that capped RPC providers accept.</li>
 * </ul>
 */
package io.infergate.contracts;
