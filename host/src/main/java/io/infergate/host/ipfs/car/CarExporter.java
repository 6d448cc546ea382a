package io.infergate.host.ipfs.car;

import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.block.BlockNotFoundException;
import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.block.BlockSource;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.Codec;
import io.infergate.host.ipfs.cid.Multihash;
import io.infergate.host.ipfs.dagpb.PbNode;
import io.infergate.host.ipfs.unixfs.DagLimits;
import io.infergate.host.ipfs.unixfs.InvalidDagException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Walks a DAG from its root in depth-first, link order and emits each distinct block once: the
 * {@code order=dfs; dups=n} CAR the trustless gateway spec describes. Blocks are verified as they are read,
 * so even a corrupted store never leaks a wrong block into a CAR.
 */
public final class CarExporter {
  private final DagLimits limits;

  private CarExporter(DagLimits limits) {
    this.limits = limits;
  }

  public static CarExporter create(DagLimits limits) {
    return new CarExporter(limits);
  }

  /** Writes the CAR of {@code root} to {@code out}; returns bytes written. Does not close {@code out}. */
  public long export(Cid root, BlockSource source, OutputStream out) throws IOException {
    CarWriter writer = CarWriter.create(out, root);
    walk(root, source, writer);
    out.flush();
    return writer.bytesWritten();
  }

  /** Checks that every block below {@code root} is present and valid, without writing anything. */
  public long check(Cid root, BlockSource source) {
    long[] n = {0};
    walk(root, source, b -> n[0]++);
    return n[0];
  }

  /** Emits every distinct block below {@code root}, depth first. */
  public void walk(Cid root, BlockSource source, BlockSink sink) {
    Set<Multihash> seen = new HashSet<>();
    Deque<Cid> stack = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    stack.push(root);
    depths.push(0);
    while (!stack.isEmpty()) {
      Cid cid = stack.pop();
      int depth = depths.pop();
      if (!seen.add(cid.multihash())) {
        continue;
      }
      if (depth > limits.maxDepth() || seen.size() > limits.maxBlocks()) {
        throw new InvalidDagException("DAG " + root + " exceeds the export limits (depth " + limits.maxDepth()
            + ", blocks " + limits.maxBlocks() + ")");
      }
      byte[] data = source.get(cid).orElseThrow(() -> new BlockNotFoundException(cid, source.describe()));
      Block block = Block.verified(cid, data);
      sink.put(block);
      if (cid.codec() == Codec.DAG_PB) {
        List<io.infergate.host.ipfs.dagpb.PbLink> links = PbNode.decode(data, limits.maxLinksPerNode()).links();
        for (int i = links.size() - 1; i >= 0; i--) {
          stack.push(links.get(i).cid());
          depths.push(depth + 1);
        }
      }
    }
  }
}
