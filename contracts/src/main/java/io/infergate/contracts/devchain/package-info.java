/**
 * A local EVM chain for development and tests: {@link io.infergate.contracts.devchain.DevChain} runs the pinned
 * {@code anvil} on a free port, waits until it answers, exposes its funded dev keys and the anvil-only RPC calls
 * the deployer and tests need (placing code, moving time), and stops it on {@code close()} or JVM exit.
 * {@code ./infergate dev} and the integration tests both start their chain here.
 */
package io.infergate.contracts.devchain;
