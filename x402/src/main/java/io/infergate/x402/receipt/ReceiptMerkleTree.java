package io.infergate.x402.receipt;

import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.Keccak256;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Merkle tree over a contiguous run of receipts whose root the node commits to {@code ReceiptAnchor}. The
 * shape is the contract's ({@code verifyReceipt}):
 *
 * <ul>
 *   <li>leaf {@code i} = {@code keccak256(digest_i)}, the receipts' EIP-712 digests in {@code seq} order;
 *   <li>parent = {@code keccak256(min(a, b) ‖ max(a, b))} (sorted pairs: proofs need no left/right flags);
 *   <li>an odd node at the end of a level is carried up unchanged.
 * </ul>
 *
 * Leaves hash 32 bytes and inner nodes 64, so an inner node can never be presented as a leaf, and a digest is
 * hashed once more before it becomes a leaf, so a digest can never be presented as an inner node.
 */
public final class ReceiptMerkleTree {
  private final List<byte[][]> levels;

  private ReceiptMerkleTree(List<byte[][]> levels) {
    this.levels = levels;
  }

  /** The tree over {@code digests} (at least one), in order. */
  public static ReceiptMerkleTree of(List<Bytes32> digests) {
    if (digests.isEmpty()) {
      throw new IllegalArgumentException("a receipt tree needs at least one receipt");
    }
    List<byte[][]> levels = new ArrayList<>();
    byte[][] level = new byte[digests.size()][];
    for (int i = 0; i < level.length; i++) {
      level[i] = leaf(digests.get(i).toBytes());
    }
    levels.add(level);
    byte[] pair = new byte[64];
    while (level.length > 1) {
      byte[][] up = new byte[(level.length + 1) / 2][];
      for (int i = 0; i < up.length; i++) {
        int l = 2 * i;
        up[i] = l + 1 < level.length ? parent(level[l], level[l + 1], pair) : level[l];
      }
      levels.add(up);
      level = up;
    }
    return new ReceiptMerkleTree(levels);
  }

  /** The number of leaves. */
  public int size() {
    return levels.getFirst().length;
  }

  public Bytes32 root() {
    return Bytes32.of(levels.getLast()[0]);
  }

  /** The siblings from leaf {@code index} up to the root (levels where the node was carried up add none). */
  public List<Bytes32> proof(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("leaf " + index + " of a tree with " + size() + " leaves");
    }
    List<Bytes32> proof = new ArrayList<>();
    int i = index;
    for (int l = 0; l < levels.size() - 1; l++) {
      byte[][] level = levels.get(l);
      int sibling = i ^ 1;
      if (sibling < level.length) {
        proof.add(Bytes32.of(level[sibling]));
      }
      i >>= 1;
    }
    return proof;
  }

  /** {@code keccak256(digest)}: the leaf of a receipt (the contract's {@code leafOf}). */
  public static Bytes32 leafOf(Bytes32 digest) {
    return Bytes32.of(leaf(digest.toBytes()));
  }

  /** The root that {@code proof} leads to from the receipt with {@code digest} (the contract's {@code computeRoot}). */
  public static Bytes32 computeRoot(Bytes32 digest, List<Bytes32> proof) {
    byte[] node = leaf(digest.toBytes());
    byte[] pair = new byte[64];
    for (Bytes32 sibling : proof) {
      node = parent(node, sibling.toBytes(), pair);
    }
    return Bytes32.of(node);
  }

  private static byte[] leaf(byte[] digest) {
    return Keccak256.hash(digest);
  }

  private static byte[] parent(byte[] a, byte[] b, byte[] pair) {
    boolean aFirst = Arrays.compareUnsigned(a, b) < 0;
    System.arraycopy(aFirst ? a : b, 0, pair, 0, 32);
    System.arraycopy(aFirst ? b : a, 0, pair, 32, 32);
    return Keccak256.hash(pair);
  }
}
