package io.infergate.host.ipfs.unixfs;

import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.Codec;
import io.infergate.host.ipfs.dagpb.PbLink;
import io.infergate.host.ipfs.dagpb.PbNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Chunks a byte stream into a UnixFS file DAG: fixed-size chunks stored as raw leaves (CIDv1, codec raw),
 * parents as dag-pb UnixFS file nodes (CIDv1), balanced layout with at most {@code maxLinks} children per node.
 * With the defaults (256 KiB, 174) the root CID equals {@code ipfs add --cid-version=1} and npm
 * {@code ipfs-unixfs-importer} with {@code cidVersion: 1, rawLeaves: true}.
 *
 * <p>Layout, as those importers define it: the leaves are cut into groups of {@code maxLinks}, each group
 * becomes a parent, and the parents are grouped again until one node is left. A file of exactly one chunk
 * (including the empty file, which is one empty chunk) is the raw leaf itself; any other group of one still
 * gets its own parent. This class builds the same tree in one pass: each level keeps its pending entries and
 * a full level is folded into a parent only when a further entry arrives, so memory is one chunk plus at most
 * {@code maxLinks} entries per level.
 */
public final class UnixFsImporter {
  /** The go-ipfs / js-ipfs default chunk size: 256 KiB. */
  public static final int DEFAULT_CHUNK_SIZE = 256 * 1024;
  /** The go-ipfs / js-ipfs default width of the balanced layout. */
  public static final int DEFAULT_MAX_LINKS = 174;

  private final int chunkSize;
  private final int maxLinks;

  private UnixFsImporter(int chunkSize, int maxLinks) {
    if (chunkSize < 1 || chunkSize > 1024 * 1024) {
      throw new IllegalArgumentException("chunk size must be within 1 B..1 MiB (IPFS block limit), got " + chunkSize);
    }
    if (maxLinks < 2) {
      throw new IllegalArgumentException("maxLinks must be at least 2, got " + maxLinks);
    }
    this.chunkSize = chunkSize;
    this.maxLinks = maxLinks;
  }

  /** The IPFS defaults: 256 KiB chunks, 174 links per node. */
  public static UnixFsImporter create() {
    return new UnixFsImporter(DEFAULT_CHUNK_SIZE, DEFAULT_MAX_LINKS);
  }

  public static UnixFsImporter create(int chunkSize, int maxLinks) {
    return new UnixFsImporter(chunkSize, maxLinks);
  }

  public int chunkSize() {
    return chunkSize;
  }

  public int maxLinks() {
    return maxLinks;
  }

  public ImportResult importFile(Path file, BlockSink sink) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return importFrom(in, sink);
    }
  }

  /** Reads {@code in} to its end, sending every block to {@code sink} (leaves first, each parent after its children). */
  public ImportResult importFrom(InputStream in, BlockSink sink) throws IOException {
    Builder b = new Builder(sink);
    boolean any = false;
    while (true) {
      byte[] chunk = in.readNBytes(chunkSize);
      if (chunk.length == 0 && any) {
        break;
      }
      any = true;
      b.leaf(chunk);
      if (chunk.length < chunkSize) {
        break;
      }
    }
    return b.finish();
  }

  /** One child of a pending parent. */
  private record Entry(Cid cid, long tsize, long fileBytes) {}

  private final class Builder {
    private final BlockSink sink;
    private final List<List<Entry>> levels = new ArrayList<>();
    private long fileSize;
    private long blocks;

    Builder(BlockSink sink) {
      this.sink = sink;
    }

    void leaf(byte[] chunk) {
      Block block = Block.of(Codec.RAW, chunk);
      sink.put(block);
      blocks++;
      fileSize += chunk.length;
      add(0, new Entry(block.cid(), chunk.length, chunk.length));
    }

    private void add(int level, Entry e) {
      if (levels.size() == level) {
        levels.add(new ArrayList<>(maxLinks));
      }
      List<Entry> pending = levels.get(level);
      if (pending.size() == maxLinks) {
        add(level + 1, parent(pending));
        pending.clear();
      }
      pending.add(e);
    }

    ImportResult finish() {
      List<Entry> bottom = levels.get(0);
      if (levels.size() == 1 && bottom.size() == 1) {
        Entry only = bottom.get(0);
        return new ImportResult(only.cid(), fileSize, only.tsize(), blocks);
      }
      for (int level = 0; ; level++) {
        List<Entry> pending = levels.get(level);
        boolean top = level == levels.size() - 1;
        if (top && pending.size() == 1 && level > 0) {
          Entry root = pending.get(0);
          return new ImportResult(root.cid(), fileSize, root.tsize(), blocks);
        }
        if (!pending.isEmpty()) {
          Entry p = parent(pending);
          pending.clear();
          add(level + 1, p);
        }
      }
    }

    private Entry parent(List<Entry> children) {
      List<PbLink> links = new ArrayList<>(children.size());
      long[] sizes = new long[children.size()];
      long tsize = 0;
      for (int i = 0; i < children.size(); i++) {
        Entry c = children.get(i);
        links.add(PbLink.unnamed(c.cid(), c.tsize()));
        sizes[i] = c.fileBytes();
        tsize += c.tsize();
      }
      UnixFsData data = UnixFsData.fileNode(sizes);
      byte[] node = new PbNode(links, data.encode()).encode();
      Block block = Block.of(Codec.DAG_PB, node);
      sink.put(block);
      blocks++;
      return new Entry(block.cid(), tsize + node.length, data.filesize());
    }
  }
}
