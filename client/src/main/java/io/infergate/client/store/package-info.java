/**
 * The client's durable channel state: {@link io.infergate.client.store.ChannelStore}, one SQLite file per
 * client (default {@code ~/.infergate/client.db}). Per channel it keeps the config, the id of the key that
 * signs for it, the highest voucher signed (written before the voucher is sent), the cumulative charge the node
 * acknowledged, the last channel state it reported, and why the channel was quarantined if it was. Lost? The
 * {@code recover} flow rebuilds it from the key, the node and the chain. In the same file, the
 * {@link io.infergate.client.store.ReceiptLog} keeps every charged call ({@link io.infergate.client.store.StoredCall}:
 * request body and hashes, response hash, voucher, charge) with the inference receipt that came with it.
 */
package io.infergate.client.store;
