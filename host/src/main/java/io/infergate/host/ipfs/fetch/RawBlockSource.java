package io.infergate.host.ipfs.fetch;

import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.cid.Cid;
import io.vertx.core.Future;

/**
 * A source that can also answer for one block at a time: a trustless gateway ({@code GET /ipfs/{cid}?format=raw})
 * or Kubo ({@code POST /api/v0/block/get}). {@link ContentFetcher} uses it to fetch only the blocks the store
 * lacks, which is how an interrupted fetch resumes.
 */
public interface RawBlockSource extends ContentSource {
  /**
   * The block named by {@code cid}, verified against it. Fails with a
   * {@link io.infergate.host.ipfs.block.BlockVerificationException} when the bytes do not hash to the CID, a
   * {@link SourceFailedException} when the answer is not a block (HTML, wrong type, too large, an error status).
   */
  Future<Block> fetchBlock(Cid cid);
}
