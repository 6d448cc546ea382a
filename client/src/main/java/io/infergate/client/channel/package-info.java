/**
 * Channels from the payer's side: which channel pays an offer ({@link io.infergate.client.channel.ChannelTerms},
 * with salts derived so channels can be rebuilt from the key), what the client knows of one ({@link
 * io.infergate.client.channel.ChannelRecord}), signing vouchers ({@link
 * io.infergate.client.channel.VoucherSigner}), the rules every node answer must keep ({@link
 * io.infergate.client.channel.ResponseCheck}), ERC-3009 deposit authorizations ({@link
 * io.infergate.client.channel.DepositAuthorizations}) and the contract on chain ({@link
 * io.infergate.client.channel.ChainChannels}: direct deposit, timed withdrawal, {@code channels(id)}).
 */
package io.infergate.client.channel;
