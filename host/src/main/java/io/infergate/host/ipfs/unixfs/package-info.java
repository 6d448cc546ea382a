/**
 * UnixFS files: the layout IPFS gives a file's bytes, and the two directions across it.
 * <ul>
 *   <li>{@link io.infergate.host.ipfs.unixfs.UnixFsImporter} turns a stream into blocks exactly as
 *       {@code ipfs add --cid-version=1} and npm {@code ipfs-unixfs-importer} ({@code cidVersion: 1,
 *       rawLeaves: true}) do: 256 KiB fixed chunks as raw leaves, a balanced dag-pb tree of at most 174 links
 *       per node, a one-chunk file being its own raw leaf. Memory is bounded by one chunk plus one pending
 *       node per tree level.</li>
 *   <li>{@link io.infergate.host.ipfs.unixfs.FileAssembler} walks a DAG from its root CID over an untrusted
 *       {@link io.infergate.host.ipfs.block.BlockSource}, verifies every block and every size field, enforces
 *       {@link io.infergate.host.ipfs.unixfs.DagLimits}, and streams the bytes to a file that appears only
 *       once everything checked out.</li>
 * </ul>
 * {@link io.infergate.host.ipfs.unixfs.UnixFsData} is the UnixFS protobuf carried in a dag-pb node's Data.
 */
package io.infergate.host.ipfs.unixfs;
