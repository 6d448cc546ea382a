/**
 * Infergate's consumer client: pay for AI services over x402 v2 {@code batch-settlement} channels.
 *
 * <p>Start at {@link io.infergate.client.http.PaidHttpClient}: it answers a 402 with a cumulative voucher,
 * checks every {@code PAYMENT-RESPONSE} before it signs the next one, and keeps its channels in a {@link
 * io.infergate.client.store.ChannelStore} (SQLite, durable before any voucher leaves). On-chain deposits and the
 * timed withdrawal are in {@link io.infergate.client.channel.ChainChannels}; the command line
 * ({@code infergate client ...}) in {@link io.infergate.client.cli.ClientCommand}. Errors are unchecked
 * {@link io.infergate.client.ClientException}s whose message says what to do.
 */
package io.infergate.client;
