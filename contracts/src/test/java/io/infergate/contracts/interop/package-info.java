/**
 * Interoperability with the x402 reference implementation ({@code @x402/evm} from {@code tools/}), driven through
 * {@code src/test/js/x402-reference-peer.mjs}.
 */
package io.infergate.contracts.interop;
