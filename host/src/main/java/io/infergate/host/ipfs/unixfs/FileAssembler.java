package io.infergate.host.ipfs.unixfs;

import io.infergate.host.ipfs.block.BlockNotFoundException;
import io.infergate.host.ipfs.block.BlockVerificationException;
import io.infergate.host.ipfs.block.BlockSource;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.Codec;
import io.infergate.host.ipfs.cid.Multihash;
import io.infergate.host.ipfs.dagpb.PbLink;
import io.infergate.host.ipfs.dagpb.PbNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reassembles a UnixFS file from its root CID over an untrusted {@link BlockSource}, depth first in link
 * order, verifying as it goes:
 * <ul>
 *   <li>every block hashes to the CID that links to it, and fits {@link DagLimits#maxBlockSize()};</li>
 *   <li>dag-pb nodes decode strictly and are UnixFS {@code File} (or legacy {@code Raw}) nodes with one
 *       {@code blocksizes} entry per link, inline data + blocksizes = {@code filesize}, and each child's real
 *       byte count equals its {@code blocksizes} entry;</li>
 *   <li>depth, links per node, blocks visited and file size stay within the limits, and no CID repeats on
 *       the path from the root (a cycle; with sha2-256 only reachable by a broken hash, guarded anyway so
 *       the walk terminates whatever the verifier).</li>
 * </ul>
 * {@link #assemble} writes to a temporary file next to the target and renames it into place only when the
 * whole DAG checked out, so a reader of the target path never sees unverified or partial content.
 * Blocking; run it on a worker thread.
 */
public final class FileAssembler {
  /** The verification step, a seam only so tests can simulate a broken hash (see class doc). */
  interface BlockVerifier {
    boolean verify(Cid cid, byte[] block);
  }

  private final DagLimits limits;
  private final BlockVerifier verifier;

  FileAssembler(DagLimits limits, BlockVerifier verifier) {
    this.limits = limits;
    this.verifier = verifier;
  }

  public static FileAssembler create() {
    return create(DagLimits.defaults());
  }

  public static FileAssembler create(DagLimits limits) {
    return new FileAssembler(limits, Cid::verify);
  }

  public DagLimits limits() {
    return limits;
  }

  /**
   * Assembles the file into {@code target} atomically.
   *
   * @return the file size
   * @throws io.infergate.host.ipfs.ContentException if any block is missing or invalid; {@code target} is
   *     then untouched
   */
  public long assemble(Cid root, BlockSource source, Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      long size;
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        size = writeTo(root, source, out);
        out.flush();
        ch.force(true);
      }
      moveAtomically(tmp, target);
      return size;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Streams the file's bytes to {@code out}. Every byte written comes from a verified block, but a later
   * block may still fail: on an exception the caller must discard what was written.
   */
  public long writeTo(Cid root, BlockSource source, OutputStream out) throws IOException {
    Walk walk = new Walk(source, out);
    try {
      return walk.visit(root, -1, 0);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  static void moveAtomically(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private final class Walk {
    private final BlockSource source;
    private final OutputStream out;
    private final Set<Multihash> path = new HashSet<>();
    private long blocks;
    private long written;

    Walk(BlockSource source, OutputStream out) {
      this.source = source;
      this.out = out;
    }

    /**
     * Writes the bytes below {@code cid}.
     *
     * @param expected the byte count the parent's blocksizes promise, or -1 at the root
     * @return the byte count written
     */
    long visit(Cid cid, long expected, int depth) throws IOException {
      if (depth > limits.maxDepth()) {
        throw new InvalidDagException("DAG is deeper than " + limits.maxDepth() + " levels at " + cid
            + "; refusing it (limit maxDepth)");
      }
      if (++blocks > limits.maxBlocks()) {
        throw new InvalidDagException("DAG has more than " + limits.maxBlocks() + " blocks; refusing it (limit maxBlocks)");
      }
      if (!path.add(cid.multihash())) {
        throw new InvalidDagException("DAG has a cycle: " + cid + " links back to itself through its descendants");
      }
      try {
        byte[] block = fetch(cid);
        long n = cid.codec() == Codec.RAW ? writeRaw(block) : writeNode(cid, block, expected, depth);
        if (expected >= 0 && n != expected) {
          throw new InvalidDagException("block " + cid + " holds " + n + " file bytes but its parent's blocksizes says "
              + expected + "; the DAG is inconsistent");
        }
        return n;
      } finally {
        path.remove(cid.multihash());
      }
    }

    private byte[] fetch(Cid cid) {
      byte[] block = source.get(cid).orElseThrow(() -> new BlockNotFoundException(cid, source.describe()));
      if (block.length > limits.maxBlockSize()) {
        throw new InvalidDagException("block " + cid + " has " + block.length + " bytes, more than the "
            + limits.maxBlockSize() + " allowed (limit maxBlockSize)");
      }
      if (!verifier.verify(cid, block)) {
        throw new BlockVerificationException(cid, block.length);
      }
      return block;
    }

    private long writeRaw(byte[] block) throws IOException {
      emit(block);
      return block.length;
    }

    private long writeNode(Cid cid, byte[] block, long expected, int depth) throws IOException {
      PbNode node = PbNode.decode(block, limits.maxLinksPerNode());
      if (node.data() == null) {
        throw new InvalidDagException("dag-pb node " + cid + " has no UnixFS Data; it is not a UnixFS file");
      }
      UnixFsData fs = UnixFsData.decode(node.data(), limits.maxLinksPerNode());
      if (fs.type() != UnixFsData.Type.FILE && fs.type() != UnixFsData.Type.RAW) {
        throw new InvalidDagException(cid + " is a UnixFS " + fs.type().name().toLowerCase().replace('_', '-')
            + ", not a file; name the CID of the file itself");
      }
      List<PbLink> links = node.links();
      long[] sizes = fs.blocksizes();
      if (sizes.length != links.size()) {
        throw new InvalidDagException("UnixFS node " + cid + " has " + links.size() + " links but "
            + sizes.length + " blocksizes");
      }
      long declared = fs.dataLength();
      for (long s : sizes) {
        declared += s;
      }
      if (fs.filesize() >= 0 && fs.filesize() != declared) {
        throw new InvalidDagException("UnixFS node " + cid + " declares filesize " + fs.filesize()
            + " but its data and blocksizes add up to " + declared);
      }
      if (expected >= 0 && declared != expected) {
        throw new InvalidDagException("UnixFS node " + cid + " declares " + declared
            + " bytes but its parent's blocksizes says " + expected);
      }
      if (written + declared > limits.maxFileSize()) {
        throw new InvalidDagException("file " + cid + " is larger than " + limits.maxFileSize()
            + " bytes (limit maxFileSize)");
      }
      if (fs.data() != null) {
        emit(fs.data());
      }
      long n = fs.dataLength();
      for (int i = 0; i < links.size(); i++) {
        n += visit(links.get(i).cid(), sizes[i], depth + 1);
      }
      return n;
    }

    private void emit(byte[] bytes) throws IOException {
      written += bytes.length;
      if (written > limits.maxFileSize()) {
        throw new InvalidDagException("file is larger than " + limits.maxFileSize() + " bytes (limit maxFileSize)");
      }
      out.write(bytes);
    }
  }
}
