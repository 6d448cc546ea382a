package io.infergate.host.ipfs.block;

import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.Multihash;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blocks in memory, keyed by multihash (so a CIDv0 and its CIDv1 find the same block). For small content,
 * tests and as the staging area of a single fetch; the content store is the durable counterpart.
 */
public final class MemoryBlockStore implements BlockSource, BlockSink {
  private final Map<Multihash, byte[]> blocks = new ConcurrentHashMap<>();

  @Override
  public void put(Block block) {
    blocks.putIfAbsent(block.cid().multihash(), block.data());
  }

  /**
   * Stores bytes under a CID without checking them. Only for fault-injection tests that need a source which
   * serves corrupt data; production code goes through {@link #put(Block)}.
   */
  public void putUnchecked(Cid cid, byte[] data) {
    blocks.put(cid.multihash(), data);
  }

  @Override
  public Optional<byte[]> get(Cid cid) {
    return Optional.ofNullable(blocks.get(cid.multihash()));
  }

  public boolean has(Cid cid) {
    return blocks.containsKey(cid.multihash());
  }

  public int size() {
    return blocks.size();
  }

  public void remove(Cid cid) {
    blocks.remove(cid.multihash());
  }

  @Override
  public String describe() {
    return "in-memory block store";
  }
}
