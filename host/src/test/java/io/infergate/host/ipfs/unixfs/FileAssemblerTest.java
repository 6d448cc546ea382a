package io.infergate.host.ipfs.unixfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.ipfs.ContentException;
import io.infergate.host.ipfs.TestFiles;
import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.block.BlockNotFoundException;
import io.infergate.host.ipfs.block.BlockVerificationException;
import io.infergate.host.ipfs.block.MemoryBlockStore;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.Codec;
import io.infergate.host.ipfs.dagpb.DagPbException;
import io.infergate.host.ipfs.dagpb.PbLink;
import io.infergate.host.ipfs.dagpb.PbNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults a hostile or broken source can produce; each is refused with a message that names the problem. */
class FileAssemblerTest {
  @TempDir Path dir;
  private final MemoryBlockStore store = new MemoryBlockStore();

  private ImportResult importBytes(int size, int chunk, int width) throws Exception {
    return UnixFsImporter.create(chunk, width).importFrom(new ByteArrayInputStream(TestFiles.randomBytes(size, size)), store);
  }

  /** A UnixFS file node over {@code children}, whose blocksizes are given (normally the children's sizes). */
  private Block fileNode(List<Cid> children, long[] blocksizes, long filesize) {
    List<PbLink> links = new ArrayList<>();
    for (Cid c : children) {
      links.add(PbLink.unnamed(c, 1));
    }
    UnixFsData data = new UnixFsData(UnixFsData.Type.FILE, null, filesize, blocksizes);
    Block b = Block.of(Codec.DAG_PB, new PbNode(links, data.encode()).encode());
    store.put(b);
    return b;
  }

  private Block leaf(String text) {
    Block b = Block.of(Codec.RAW, text.getBytes());
    store.put(b);
    return b;
  }

  @Test
  void assemblesAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
    ImportResult r = importBytes(10_000, 100, 4);
    Path target = dir.resolve("model.onnx");
    assertEquals(10_000, FileAssembler.create().assemble(r.root(), store, target));
    assertEquals(10_000, Files.size(target));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(target), files.toList());
    }
  }

  @Test
  void corruptedBlockIsRejectedAndTargetNeverAppears() throws Exception {
    ImportResult r = importBytes(10_000, 100, 4);
    Cid victim = Cid.compute(Codec.RAW, Arrays.copyOfRange(TestFiles.randomBytes(10_000, 10_000), 5_000, 5_100));
    byte[] bad = store.get(victim).orElseThrow().clone();
    bad[7] ^= 1;
    store.putUnchecked(victim, bad);
    Path target = dir.resolve("model.onnx");
    BlockVerificationException e = assertThrows(BlockVerificationException.class,
        () -> FileAssembler.create().assemble(r.root(), store, target));
    assertEquals(victim, e.cid());
    assertTrue(e.getMessage().contains("do not hash to the CID"));
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "neither target nor temporary file is left");
    }
  }

  @Test
  void missingBlockIsNamed() throws Exception {
    ImportResult r = importBytes(1_000, 100, 4);
    Cid missing = Cid.compute(Codec.RAW, Arrays.copyOfRange(TestFiles.randomBytes(1_000, 1_000), 900, 1_000));
    store.remove(missing);
    BlockNotFoundException e = assertThrows(BlockNotFoundException.class,
        () -> FileAssembler.create().writeTo(r.root(), store, OutputStream.nullOutputStream()));
    assertEquals(missing, e.cid());
    assertTrue(e.getMessage().contains(missing.toString()));
  }

  @Test
  void blocksizesThatLieAreRejected() {
    Block a = leaf("hello ");
    Block b = leaf("world");
    Cid honest = fileNode(List.of(a.cid(), b.cid()), new long[] {6, 5}, 11).cid();
    assertEquals(11, assembleToMemory(honest).length);
    Cid lying = fileNode(List.of(a.cid(), b.cid()), new long[] {6, 6}, 12).cid();
    assertTrue(assertThrows(InvalidDagException.class, () -> assembleToMemory(lying)).getMessage()
        .contains("holds 5 file bytes but its parent's blocksizes says 6"));
    Cid badFilesize = fileNode(List.of(a.cid(), b.cid()), new long[] {6, 5}, 100).cid();
    assertTrue(assertThrows(InvalidDagException.class, () -> assembleToMemory(badFilesize)).getMessage()
        .contains("declares filesize 100"));
    Cid countMismatch = fileNode(List.of(a.cid(), b.cid()), new long[] {11}, 11).cid();
    assertTrue(assertThrows(InvalidDagException.class, () -> assembleToMemory(countMismatch)).getMessage()
        .contains("2 links but 1 blocksizes"));
  }

  @Test
  void absurdDepthIsBounded() {
    Cid cid = leaf("x").cid();
    for (int i = 0; i < 40; i++) {
      cid = fileNode(List.of(cid), new long[] {1}, 1).cid();
    }
    Cid root = cid;
    assertTrue(assertThrows(InvalidDagException.class, () -> assembleToMemory(root)).getMessage()
        .contains("deeper than 32 levels"));
    assertEquals(1, assemble(root, DagLimits.defaults().withMaxDepth(41)).length);
  }

  @Test
  void fileSizeAndBlockCountAreBounded() throws Exception {
    ImportResult r = importBytes(5_000, 100, 4);
    DagLimits small = DagLimits.defaults().withMaxFileSize(4_999);
    assertTrue(assertThrows(InvalidDagException.class, () -> assemble(r.root(), small)).getMessage()
        .contains("maxFileSize"));
    assertTrue(assertThrows(InvalidDagException.class, () -> assemble(r.root(), DagLimits.defaults().withMaxBlocks(10)))
        .getMessage().contains("maxBlocks"));
    // A DAG bomb: every link points at the same subtree of empty chunks; the block bound stops it.
    Cid empty = leaf("").cid();
    Cid node = empty;
    for (int i = 0; i < 6; i++) {
      node = fileNode(java.util.Collections.nCopies(100, node), new long[100], 0).cid();
    }
    Cid bomb = node;
    assertThrows(InvalidDagException.class, () -> assembleToMemory(bomb));
  }

  @Test
  void oversizedBlockIsRefusedBeforeHashing() {
    Block big = Block.of(Codec.RAW, new byte[4096]);
    store.put(big);
    assertTrue(assertThrows(InvalidDagException.class,
        () -> assemble(big.cid(), DagLimits.defaults().withMaxBlockSize(1024))).getMessage().contains("maxBlockSize"));
  }

  @Test
  void cycleIsDetectedEvenIfTheHashWereBroken() {
    // With sha2-256 a block cannot contain its own CID; simulate a broken hash to prove the walk terminates.
    Cid self = Cid.compute(Codec.DAG_PB, new byte[] {1});
    byte[] node = new PbNode(List.of(PbLink.unnamed(self, 1)),
        new UnixFsData(UnixFsData.Type.FILE, null, 1, new long[] {1}).encode()).encode();
    store.putUnchecked(self, node);
    FileAssembler trusting = new FileAssembler(DagLimits.defaults(), (cid, bytes) -> true);
    InvalidDagException e = assertThrows(InvalidDagException.class,
        () -> trusting.writeTo(self, store, OutputStream.nullOutputStream()));
    assertTrue(e.getMessage().contains("cycle"), e.getMessage());
  }

  @Test
  void directoriesAndUnsupportedNodesAreNamed() {
    Block dir = Block.of(Codec.DAG_PB, new PbNode(List.of(),
        new UnixFsData(UnixFsData.Type.DIRECTORY, null, -1, new long[0]).encode()).encode());
    store.put(dir);
    assertTrue(assertThrows(InvalidDagException.class, () -> assembleToMemory(dir.cid())).getMessage()
        .contains("is a UnixFS directory, not a file"));
    Block noData = Block.of(Codec.DAG_PB, new PbNode(List.of(), null).encode());
    store.put(noData);
    assertThrows(InvalidDagException.class, () -> assembleToMemory(noData.cid()));
    Block garbage = Block.of(Codec.DAG_PB, new byte[] {(byte) 0xFF, 0x01});
    store.put(garbage);
    assertThrows(DagPbException.class, () -> assembleToMemory(garbage.cid()));
  }

  @Test
  void inlineDataInFileNodesIsServedBeforeChildren() {
    Block child = leaf("world");
    byte[] node = new PbNode(List.of(PbLink.unnamed(child.cid(), 5)),
        new UnixFsData(UnixFsData.Type.FILE, "hello ".getBytes(), 11, new long[] {5}).encode()).encode();
    Block b = Block.of(Codec.DAG_PB, node);
    store.put(b);
    assertEquals("hello world", new String(assembleToMemory(b.cid())));
  }

  @Test
  void everyFailureIsAContentException() {
    Cid absent = Cid.compute(Codec.RAW, new byte[] {42});
    ContentException e = assertThrows(ContentException.class, () -> assembleToMemory(absent));
    assertFalse(e.getMessage().isBlank());
  }

  private byte[] assembleToMemory(Cid root) {
    return assemble(root, DagLimits.defaults());
  }

  private byte[] assemble(Cid root, DagLimits limits) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      FileAssembler.create(limits).writeTo(root, store, out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
