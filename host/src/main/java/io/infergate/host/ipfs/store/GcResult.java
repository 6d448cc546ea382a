package io.infergate.host.ipfs.store;

/**
 * What one garbage collection removed.
 *
 * @param removedFiles assembled files removed (unpinned, unused roots)
 * @param removedBlocks blocks removed (unreachable from any kept root)
 * @param freedBytes bytes freed in total
 */
public record GcResult(int removedFiles, long removedBlocks, long freedBytes) {}
