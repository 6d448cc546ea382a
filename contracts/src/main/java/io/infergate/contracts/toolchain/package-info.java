/**
 * Locating the pinned npm toolchain under {@code tools/} (anvil, forge, cast, solc-js and the x402 reference
 * client), installed by {@code npm ci --prefix tools}. {@link io.infergate.contracts.toolchain.Toolchain} is the
 * only class; it fails with {@link io.infergate.contracts.toolchain.ToolchainMissing}, whose message says how to
 * install what is missing.
 */
package io.infergate.contracts.toolchain;
