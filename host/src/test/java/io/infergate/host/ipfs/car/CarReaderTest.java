package io.infergate.host.ipfs.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.ipfs.NpmIpfsTools;
import io.infergate.host.ipfs.TestFiles;
import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.block.BlockNotFoundException;
import io.infergate.host.ipfs.block.BlockVerificationException;
import io.infergate.host.ipfs.block.MemoryBlockStore;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.Codec;
import io.infergate.host.ipfs.cid.Varint;
import io.infergate.host.ipfs.unixfs.DagLimits;
import io.infergate.host.ipfs.unixfs.FileAssembler;
import io.infergate.host.ipfs.unixfs.ImportResult;
import io.infergate.host.ipfs.unixfs.UnixFsImporter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CAR faults, on CARs written by npm {@code @ipld/car} and by us; npm's reader must agree where it can judge. */
class CarReaderTest {
  @TempDir static Path dir;
  private static NpmIpfsTools npm;
  private static byte[] npmCar;
  private static Cid root;
  private static byte[] content;

  @BeforeAll
  static void npmCar() throws Exception {
    npm = NpmIpfsTools.locate();
    content = TestFiles.randomBytes(700_000, 3);
    Path file = dir.resolve("content");
    Files.write(file, content);
    Path car = dir.resolve("npm.car");
    root = Cid.parse(npm.add(file, car).get("root").asText());
    npmCar = Files.readAllBytes(car);
  }

  @Test
  void headerIsByteForByteWhatIpldCarWrites() {
    byte[] ours = CarHeader.v1(List.of(root)).encode();
    int len = (int) Varint.value(Varint.decode(npmCar, 0, npmCar.length));
    assertArrayEquals(java.util.Arrays.copyOfRange(npmCar, 1, 1 + len), ours);
    assertEquals(CarHeader.v1(List.of(root)), CarHeader.decode(ours));
  }

  @Test
  void readsNpmCarAndAssembles() throws Exception {
    MemoryBlockStore store = new MemoryBlockStore();
    assertEquals(4, CarReader.readAll(new ByteArrayInputStream(npmCar), root, store, CarLimits.defaults()));
    assertArrayEquals(content, assemble(store));
  }

  @Test
  void corruptedBlockIsRejectedHereAndByNpm() throws Exception {
    byte[] bad = npmCar.clone();
    bad[bad.length / 2] ^= 0x40; // inside the second leaf's bytes
    BlockVerificationException e = assertThrows(BlockVerificationException.class,
        () -> CarReader.readAll(new ByteArrayInputStream(bad), root, new MemoryBlockStore(), CarLimits.defaults()));
    assertTrue(e.getMessage().contains("must not be trusted"));
    Path file = dir.resolve("corrupt.car");
    Files.write(file, bad);
    assertTrue(npm.verifyCarFailure(file).contains("does not match"));
  }

  @Test
  void wrongRootIsRejected() {
    Cid other = Cid.compute(Codec.RAW, new byte[] {1});
    CarFormatException e = assertThrows(CarFormatException.class,
        () -> CarReader.readAll(new ByteArrayInputStream(npmCar), other, new MemoryBlockStore(), CarLimits.defaults()));
    assertTrue(e.getMessage().contains("do not include the requested " + other));
    // The same multihash as CIDv0 is the same content: accepted.
    Cid v0 = Cid.v0(root.multihash());
    org.junit.jupiter.api.Assertions.assertDoesNotThrow(
        () -> CarReader.readAll(new ByteArrayInputStream(npmCar), v0, new MemoryBlockStore(), CarLimits.defaults()));
  }

  @Test
  void truncationAnywhereIsDetected() throws Exception {
    int headerEnd = 1 + (int) Varint.value(Varint.decode(npmCar, 0, npmCar.length));
    for (int cut : new int[] {1, 5, headerEnd - 1, headerEnd + 1, headerEnd + 3, npmCar.length / 2, npmCar.length - 1}) {
      byte[] truncated = java.util.Arrays.copyOf(npmCar, cut);
      CarFormatException e = assertThrows(CarFormatException.class,
          () -> CarReader.readAll(new ByteArrayInputStream(truncated), root, new MemoryBlockStore(), CarLimits.defaults()),
          "cut at " + cut);
      assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("header"), e.getMessage());
    }
    assertThrows(CarFormatException.class,
        () -> CarReader.open(new ByteArrayInputStream(new byte[0]), CarLimits.defaults()));
  }

  @Test
  void cutAtASectionBoundaryReadsButAssemblyFindsTheMissingBlock() throws Exception {
    List<Block> blocks = blocksOf(npmCar);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CarWriter w = CarWriter.create(out, root)) {
      blocks.stream().filter(b -> !b.cid().equals(blocks.get(1).cid())).forEach(w::put);
    }
    MemoryBlockStore store = new MemoryBlockStore();
    CarReader.readAll(new ByteArrayInputStream(out.toByteArray()), root, store, CarLimits.defaults());
    BlockNotFoundException e = assertThrows(BlockNotFoundException.class, () -> assemble(store));
    assertEquals(blocks.get(1).cid(), e.cid());
  }

  @Test
  void duplicateBlocksAreHarmless() throws Exception {
    List<Block> blocks = blocksOf(npmCar);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CarWriter w = CarWriter.create(out, root)) {
      for (Block b : blocks) {
        w.put(b);
        w.put(b);
      }
    }
    MemoryBlockStore store = new MemoryBlockStore();
    assertEquals(8, CarReader.readAll(new ByteArrayInputStream(out.toByteArray()), root, store, CarLimits.defaults()));
    assertEquals(4, store.size());
    assertArrayEquals(content, assemble(store));
    Path file = dir.resolve("dups.car");
    Files.write(file, out.toByteArray());
    assertEquals(content.length, npm.verifyCar(file).get("size").asInt());
  }

  @Test
  void oversizedSectionAndTotalAreRefused() {
    CarLimits tight = CarLimits.defaults().withMaxSectionSize(100_000);
    assertTrue(assertThrows(CarFormatException.class,
        () -> CarReader.readAll(new ByteArrayInputStream(npmCar), root, new MemoryBlockStore(), tight))
        .getMessage().contains("maxSectionSize"));
    CarLimits small = CarLimits.defaults().withMaxTotalBytes(500_000);
    assertTrue(assertThrows(CarFormatException.class,
        () -> CarReader.readAll(new ByteArrayInputStream(npmCar), root, new MemoryBlockStore(), small))
        .getMessage().contains("maxTotalBytes"));
    // A section that claims 2^40 bytes is refused before any allocation.
    byte[] header = CarHeader.v1(List.of(root)).encode();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header.length);
    out.writeBytes(header);
    out.writeBytes(Varint.encode(1L << 40));
    assertThrows(CarFormatException.class,
        () -> CarReader.readAll(new ByteArrayInputStream(out.toByteArray()), root, new MemoryBlockStore(), CarLimits.defaults()));
  }

  @Test
  void carV2AndOtherVersionsAreRefusedByName() {
    // The CARv2 pragma: a CAR v1-style header {version: 2}.
    byte[] pragma = HexFormat.of().parseHex("0aa16776657273696f6e02");
    assertTrue(assertThrows(CarFormatException.class,
        () -> CarReader.open(new ByteArrayInputStream(pragma), CarLimits.defaults())).getMessage().contains("CARv2"));
    byte[] v3 = HexFormat.of().parseHex("0aa16776657273696f6e03");
    assertTrue(assertThrows(CarFormatException.class,
        () -> CarReader.open(new ByteArrayInputStream(v3), CarLimits.defaults())).getMessage().contains("version 3"));
    byte[] notCbor = HexFormat.of().parseHex("03ffffff");
    assertThrows(CarFormatException.class, () -> CarReader.open(new ByteArrayInputStream(notCbor), CarLimits.defaults()));
  }

  @Test
  void unsupportedCodecOrHashInASectionIsNamed() throws Exception {
    byte[] header = CarHeader.v1(List.of(root)).encode();
    for (String[] c : new String[][] {{"01711220", "dag-cbor"}, {"01551620", "sha3-256"}}) {
      byte[] cid = HexFormat.of().parseHex(c[0] + "00".repeat(32));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(header.length);
      out.writeBytes(header);
      out.writeBytes(Varint.encode(cid.length + 3));
      out.writeBytes(cid);
      out.writeBytes(new byte[] {1, 2, 3});
      CarFormatException e = assertThrows(CarFormatException.class,
          () -> CarReader.readAll(new ByteArrayInputStream(out.toByteArray()), root, new MemoryBlockStore(), CarLimits.defaults()));
      assertTrue(e.getMessage().contains(c[1]), e.getMessage());
    }
  }

  @Test
  void exporterWritesDepthFirstWithoutDuplicates() throws Exception {
    MemoryBlockStore store = new MemoryBlockStore();
    byte[] zeros = new byte[100 * 20];
    ImportResult r = UnixFsImporter.create(100, 3).importFrom(new ByteArrayInputStream(zeros), store);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CarExporter.create(DagLimits.defaults()).export(r.root(), store, out);
    List<Block> blocks = blocksOf(out.toByteArray());
    assertEquals(r.root(), blocks.get(0).cid(), "root first (dfs)");
    assertEquals(blocks.size(), blocks.stream().map(Block::cid).distinct().count(), "no duplicates");
    assertEquals(store.size(), blocks.size());
  }

  private static List<Block> blocksOf(byte[] car) throws IOException {
    List<Block> out = new ArrayList<>();
    try (CarReader r = CarReader.open(new ByteArrayInputStream(car), CarLimits.defaults())) {
      for (var b = r.next(); b.isPresent(); b = r.next()) {
        out.add(b.get());
      }
    }
    return out;
  }

  private static byte[] assemble(MemoryBlockStore store) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FileAssembler.create().writeTo(root, store, out);
    return out.toByteArray();
  }
}
