package io.infergate.host.ipfs.fetch;

import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.cid.Cid;
import io.vertx.core.Future;

/** One place blocks can come from. Implementations verify blocks before they reach the sink. */
public interface ContentSource {
  /** For logs, errors and metrics: {@code kubo http://127.0.0.1:5001}, {@code gateway https://…}. */
  String name();

  /** Puts the blocks of the DAG under {@code root} into {@code sink}; completes when the source has sent all it will. */
  Future<Void> fetchInto(Cid root, BlockSink sink);
}
