/**
 * Blocks: a {@link io.infergate.host.ipfs.block.Block} is a CID and the bytes that hash to it, checked when it
 * is made. {@link io.infergate.host.ipfs.block.BlockSource} and {@link io.infergate.host.ipfs.block.BlockSink}
 * are the two seams every other part uses (importer → sink, CAR reader → sink, assembler ← source, gateway ←
 * source); {@link io.infergate.host.ipfs.block.MemoryBlockStore} is the in-memory pair for small content and
 * tests, {@code ipfs.store} the durable one.
 */
package io.infergate.host.ipfs.block;
