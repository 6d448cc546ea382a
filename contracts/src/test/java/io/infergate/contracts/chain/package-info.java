/**
 * Integration tests on a real anvil chain through the generated wrappers. {@link
 * io.infergate.contracts.chain.ChainFixture} starts a chain, deploys at the canonical x402 addresses and signs as
 * the channel's parties; {@code ChannelLifecycleTest} covers deposit → claim → settle, refunds, withdrawals and
 * every revert path; {@code GasReportTest} measures gas for batches of 1, 10 and 100 channels.
 */
package io.infergate.contracts.chain;
