package io.infergate.host.ipfs.block;

/** Where verified blocks go: a store, a CAR writer, a counter. Putting the same block twice is harmless. */
@FunctionalInterface
public interface BlockSink {
  void put(Block block);
}
