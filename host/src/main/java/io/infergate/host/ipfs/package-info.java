/**
 * Content addressing for the node: model weights and plugin zips arrive by IPFS CID from sources the node
 * does not trust, and leave it the same way.
 *
 * <p>Where to start, bottom up:
 * <ul>
 *   <li>{@code ipfs.cid}: {@link io.infergate.host.ipfs.cid.Cid} (v0/v1, sha2-256, raw and dag-pb), varints and
 *       multibase text forms.</li>
 *   <li>{@code ipfs.block}: a block is a CID plus the bytes that hash to it; sources and sinks of blocks.</li>
 *   <li>{@code ipfs.dagpb} and {@code ipfs.unixfs}: the dag-pb codec, UnixFS file nodes, the importer that
 *       produces the same CIDs as {@code ipfs add --cid-version=1}, and the verified file assembler.</li>
 *   <li>{@code ipfs.car}: CAR v1 reader (verifies every block) and writer.</li>
 *   <li>{@code ipfs.store}: the node's content store (blocks keyed by multihash, pins, GC, size budget).</li>
 *   <li>{@code ipfs.gateway}: the trustless gateway handler mounted at {@code /ipfs/:cid}.</li>
 *   <li>{@code ipfs.fetch}: fetching from Kubo RPC, trustless gateways and CAR files.</li>
 * </ul>
 * Every failure is a {@link io.infergate.host.ipfs.ContentException}.
 */
package io.infergate.host.ipfs;
