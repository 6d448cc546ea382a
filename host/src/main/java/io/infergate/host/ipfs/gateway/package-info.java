/**
 * The node as an IPFS trustless gateway: {@link io.infergate.host.ipfs.gateway.TrustlessGatewayHandler} serves
 * what the content store holds at {@code /ipfs/:cid} as verifiable responses only, raw blocks
 * ({@code application/vnd.ipld.raw}) and CAR streams ({@code application/vnd.ipld.car; version=1; order=dfs;
 * dups=n}), so other nodes can fetch models from this one without trusting it. The lead mounts the handler on
 * the node's router; errors go through the host's error model ({@code io.infergate.host.errors}).
 */
package io.infergate.host.ipfs.gateway;
