/**
 * Reading contract events over block ranges that public RPC providers accept.
 *
 * <p>{@link io.infergate.contracts.logs.LogReader} asks {@code eth_getLogs} for the whole range first and, when the
 * node refuses it for its size (block-range or result-count caps, each provider words it differently), splits the
 * range in halves until every piece is served. Written by hand: web3j sends one request per filter and leaves
 * paging to the caller.
 */
package io.infergate.contracts.logs;
