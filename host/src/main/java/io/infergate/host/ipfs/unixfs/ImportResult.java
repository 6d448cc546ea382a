package io.infergate.host.ipfs.unixfs;

import io.infergate.host.ipfs.cid.Cid;

/**
 * What an import produced.
 *
 * @param root the file's CID (the raw leaf itself for a file of at most one chunk)
 * @param fileSize bytes of the file
 * @param dagSize bytes of all blocks, the root's cumulative size ({@code Tsize} a parent would record)
 * @param blockCount blocks produced, counting a repeated chunk each time it occurs
 */
public record ImportResult(Cid root, long fileSize, long dagSize, long blockCount) {}
