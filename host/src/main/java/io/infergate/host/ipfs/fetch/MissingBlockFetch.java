package io.infergate.host.ipfs.fetch;

import io.infergate.host.ipfs.ContentException;
import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.Codec;
import io.infergate.host.ipfs.dagpb.PbLink;
import io.infergate.host.ipfs.dagpb.PbNode;
import io.infergate.host.ipfs.store.ContentStore;
import io.infergate.host.ipfs.unixfs.DagLimits;
import io.infergate.host.ipfs.unixfs.InvalidDagException;
import io.infergate.host.ipfs.unixfs.UnixFsData;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Fetches the blocks of one DAG that the store lacks, one request per block, from a {@link RawBlockSource}.
 * This is how an interrupted fetch resumes: blocks that verified before (from any source, a partial CAR
 * included) are read from the store and their links followed, never requested again.
 *
 * <p>Design notes.
 * <b>Walk:</b> depth first from the root, over a stack of pending CIDs; a dag-pb node's links are pushed once
 * the node is held (read from the store or fetched), so the walk needs only the nodes, not the leaves.
 * <b>Parallelism:</b> at most {@code parallelism} blocks are being looked up or fetched at once; with blocks of
 * at most {@link DagLimits#maxBlockSize()} (2 MiB) that bounds memory at {@code parallelism × 2 MiB} plus the
 * stack ({@code depth × links per node} CIDs), whatever the file size.
 * <b>Trust:</b> every fetched block is verified against its CID by the source, then its size, codec and (for
 * dag-pb) UnixFS file structure are checked before it is put, so nothing that fails reaches the store. Depth,
 * blocks visited, links per node and leaf bytes are bounded by {@link DagLimits}; a cycle (only possible with a
 * broken hash) ends at the depth or block bound. The assembler checks the whole file again afterwards.
 * <b>Failure:</b> the first failure stops new requests; the walk completes (failed) only when the requests in
 * flight have settled, so every block that did arrive and verify is kept for the next attempt.
 * <b>Threads:</b> store reads and writes run on worker threads; the walk's state is guarded by its monitor.
 */
final class MissingBlockFetch {
  /** What one walk did. */
  record Result(long fetchedBlocks, long fetchedBytes, long skippedBlocks) {}

  private record Pending(Cid cid, int depth) {}

  private record Visit(List<Cid> links, boolean fetched, int bytes) {}

  private final Vertx vertx;
  private final ContentStore store;
  private final RawBlockSource source;
  private final BlockSink sink;
  private final DagLimits limits;
  private final int parallelism;
  private final Promise<Result> done = Promise.promise();
  private final Deque<Pending> stack = new ArrayDeque<>();
  private int inFlight;
  private long visits;
  private long leafBytes;
  private long fetchedBlocks;
  private long fetchedBytes;
  private long skippedBlocks;
  private Throwable failure;

  private MissingBlockFetch(Vertx vertx, ContentStore store, RawBlockSource source, BlockSink sink, int parallelism) {
    this.vertx = vertx;
    this.store = store;
    this.source = source;
    this.sink = sink;
    this.limits = store.options().dagLimits();
    this.parallelism = parallelism;
  }

  /**
   * Walks the DAG under {@code root}, putting every block the store lacks into {@code sink} (which stores it).
   *
   * @param parallelism blocks requested at once from the source
   */
  static Future<Result> run(Vertx vertx, ContentStore store, RawBlockSource source, Cid root, BlockSink sink,
      int parallelism) {
    MissingBlockFetch walk = new MissingBlockFetch(vertx, store, source, sink, parallelism);
    synchronized (walk) {
      walk.stack.push(new Pending(root, 0));
      walk.pump();
    }
    return walk.done.future();
  }

  private synchronized void pump() {
    while (failure == null && inFlight < parallelism && !stack.isEmpty()) {
      Pending next = stack.pop();
      if (next.depth() > limits.maxDepth()) {
        failure = new InvalidDagException("DAG is deeper than " + limits.maxDepth() + " levels at " + next.cid()
            + "; refusing it (limit maxDepth)");
      } else if (++visits > limits.maxBlocks()) {
        failure = new InvalidDagException("DAG has more than " + limits.maxBlocks() + " blocks; refusing it (limit maxBlocks)");
      } else {
        inFlight++;
        visit(next.cid()).onComplete(ar -> settled(next, ar));
      }
    }
    if (inFlight == 0 && (failure != null || stack.isEmpty())) {
      if (failure != null) {
        done.tryFail(failure);
      } else {
        done.tryComplete(new Result(fetchedBlocks, fetchedBytes, skippedBlocks));
      }
    }
  }

  private synchronized void settled(Pending p, AsyncResult<Visit> ar) {
    inFlight--;
    if (ar.failed()) {
      if (failure == null) {
        failure = ar.cause();
      }
    } else if (failure == null) {
      Visit v = ar.result();
      if (v.fetched()) {
        fetchedBlocks++;
        fetchedBytes += v.bytes();
      } else {
        skippedBlocks++;
      }
      if (p.cid().codec() == Codec.RAW && (leafBytes += v.bytes()) > limits.maxFileSize()) {
        failure = new InvalidDagException("file under " + p.cid() + " is larger than " + limits.maxFileSize()
            + " bytes (limit maxFileSize)");
      }
      for (int i = v.links().size() - 1; i >= 0; i--) {
        stack.push(new Pending(v.links().get(i), p.depth() + 1));
      }
    }
    pump();
  }

  /** Reads the block from the store if held, else fetches, checks and stores it. */
  private Future<Visit> visit(Cid cid) {
    return vertx.executeBlocking(() -> held(cid), false).compose(held -> held.isPresent()
        ? Future.succeededFuture(held.get())
        : source.fetchBlock(cid).compose(block -> vertx.executeBlocking(() -> keep(block), false)));
  }

  private Optional<Visit> held(Cid cid) {
    if (cid.codec() == Codec.RAW) {
      return store.hasBlock(cid) ? Optional.of(new Visit(List.of(), false, 0)) : Optional.empty();
    }
    Optional<byte[]> data = store.get(cid);
    if (data.isEmpty()) {
      return Optional.empty();
    }
    if (!cid.verify(data.get())) {
      throw new ContentException("stored block " + cid + " in " + store.describe() + " is corrupt (a torn write?); "
          + "unpin the content, run GC and fetch it again");
    }
    return Optional.of(new Visit(links(cid, data.get()), false, 0));
  }

  private Visit keep(Block block) {
    if (block.size() > limits.maxBlockSize()) {
      throw new InvalidDagException("block " + block.cid() + " has " + block.size() + " bytes, more than the "
          + limits.maxBlockSize() + " allowed (limit maxBlockSize)");
    }
    List<Cid> links = block.cid().codec() == Codec.RAW ? List.of() : links(block.cid(), block.data());
    sink.put(block);
    return new Visit(links, true, block.size());
  }

  /** The links of a UnixFS file node; anything else is refused before its children are fetched. */
  private List<Cid> links(Cid cid, byte[] data) {
    PbNode node = PbNode.decode(data, limits.maxLinksPerNode());
    if (node.data() == null) {
      throw new InvalidDagException("dag-pb node " + cid + " has no UnixFS Data; it is not a UnixFS file");
    }
    UnixFsData fs = UnixFsData.decode(node.data(), limits.maxLinksPerNode());
    if (fs.type() != UnixFsData.Type.FILE && fs.type() != UnixFsData.Type.RAW) {
      throw new InvalidDagException(cid + " is a UnixFS " + fs.type().name().toLowerCase().replace('_', '-')
          + ", not a file; name the CID of the file itself");
    }
    if (fs.filesize() > limits.maxFileSize()) {
      throw new InvalidDagException("file " + cid + " declares " + fs.filesize() + " bytes, more than the "
          + limits.maxFileSize() + " allowed (limit maxFileSize)");
    }
    return node.links().stream().map(PbLink::cid).toList();
  }
}
