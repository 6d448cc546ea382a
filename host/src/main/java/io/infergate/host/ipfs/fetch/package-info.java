/**
 * Fetching content from sources the node does not trust. A {@link io.infergate.host.ipfs.fetch.ContentSource}
 * puts the blocks of a DAG into a sink: {@link io.infergate.host.ipfs.fetch.KuboRpcSource} (Kubo RPC,
 * {@code POST /api/v0/dag/export}), {@link io.infergate.host.ipfs.fetch.TrustlessGatewaySource} (any trustless
 * gateway, including other Infergate nodes: {@code GET /ipfs/{cid}?format=car}) and
 * {@link io.infergate.host.ipfs.fetch.CarFileSource} (local CAR files, for offline nodes). The first two are also
 * {@link io.infergate.host.ipfs.fetch.RawBlockSource}s: they answer for one block ({@code ?format=raw},
 * {@code block/get}).
 * {@link io.infergate.host.ipfs.fetch.ContentFetcher} is where to start: it tries the sources in order, each
 * under a deadline, verifies every block on the way in and the DAG's completeness before moving on, marks a
 * source that sent a bad block, a wrong root or HTML as bad, and lets the content store assemble the file only
 * when all of it verified. A fresh fetch asks for one CAR; once part of the DAG is held (a cut-off CAR, an earlier
 * attempt, a restart), {@code MissingBlockFetch} walks the DAG and requests only the missing blocks, several at
 * a time. One fetch per CID at a time (the store's {@code ensure}).
 */
package io.infergate.host.ipfs.fetch;
