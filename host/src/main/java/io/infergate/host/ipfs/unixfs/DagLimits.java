package io.infergate.host.ipfs.unixfs;

/**
 * Bounds on a DAG walked from an untrusted source, so a hostile or broken DAG costs bounded time, memory and
 * disk. Defaults fit any file IPFS importers produce with standard settings (a balanced tree of 256 KiB
 * chunks and width 174 reaches 240 TB at depth 4).
 *
 * @param maxDepth links followed from the root to the deepest block
 * @param maxFileSize bytes the assembled file may have
 * @param maxBlockSize bytes one block may have (the bitswap limit is 2 MiB)
 * @param maxLinksPerNode links one dag-pb node may have
 * @param maxBlocks blocks visited in one walk (counts repeats; bounds DAGs of empty chunks)
 */
public record DagLimits(int maxDepth, long maxFileSize, int maxBlockSize, int maxLinksPerNode, long maxBlocks) {
  /** Default depth bound. */
  public static final int DEFAULT_MAX_DEPTH = 32;
  /** Default file size bound: 64 GiB, above any model a node here can load. */
  public static final long DEFAULT_MAX_FILE_SIZE = 64L << 30;
  /** Default block size bound: 2 MiB, the bitswap and trustless gateway limit. */
  public static final int DEFAULT_MAX_BLOCK_SIZE = 2 << 20;
  /** Default links per node: well above the 174 of standard importers, within one 2 MiB block. */
  public static final int DEFAULT_MAX_LINKS_PER_NODE = 16_384;
  /** Default block count bound: 64 GiB of 256 KiB chunks, four times over. */
  public static final long DEFAULT_MAX_BLOCKS = 1L << 20;

  public DagLimits {
    require(maxDepth >= 1, "maxDepth must be at least 1");
    require(maxFileSize >= 0, "maxFileSize must not be negative");
    require(maxBlockSize >= 1024, "maxBlockSize must be at least 1 KiB");
    require(maxLinksPerNode >= 2, "maxLinksPerNode must be at least 2");
    require(maxBlocks >= 1, "maxBlocks must be at least 1");
  }

  public static DagLimits defaults() {
    return new DagLimits(DEFAULT_MAX_DEPTH, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_BLOCK_SIZE,
        DEFAULT_MAX_LINKS_PER_NODE, DEFAULT_MAX_BLOCKS);
  }

  public DagLimits withMaxDepth(int v) {
    return new DagLimits(v, maxFileSize, maxBlockSize, maxLinksPerNode, maxBlocks);
  }

  public DagLimits withMaxFileSize(long v) {
    return new DagLimits(maxDepth, v, maxBlockSize, maxLinksPerNode, maxBlocks);
  }

  public DagLimits withMaxBlockSize(int v) {
    return new DagLimits(maxDepth, maxFileSize, v, maxLinksPerNode, maxBlocks);
  }

  public DagLimits withMaxLinksPerNode(int v) {
    return new DagLimits(maxDepth, maxFileSize, maxBlockSize, v, maxBlocks);
  }

  public DagLimits withMaxBlocks(long v) {
    return new DagLimits(maxDepth, maxFileSize, maxBlockSize, maxLinksPerNode, v);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
