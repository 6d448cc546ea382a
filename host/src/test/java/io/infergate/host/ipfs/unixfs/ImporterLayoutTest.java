package io.infergate.host.ipfs.unixfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.ipfs.NpmIpfsTools;
import io.infergate.host.ipfs.TestFiles;
import io.infergate.host.ipfs.block.MemoryBlockStore;
import io.infergate.host.ipfs.cid.Codec;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The balanced layout at every boundary, cheaply: with 100-byte chunks and 3 links per node, a few KB reach
 * five tree levels, so each edge (a full level, one more leaf, a lone last group) is compared with
 * ipfs-unixfs-importer given the same chunker and width.
 */
class ImporterLayoutTest {
  private static final int CHUNK = 100;
  private static final int WIDTH = 3;
  @TempDir static Path dir;
  private static NpmIpfsTools npm;

  @BeforeAll
  static void tools() {
    npm = NpmIpfsTools.locate();
  }

  /** Leaf counts 1, 2, 3, 4, 9, 10, 27, 28, 81, 82, 244 and partial last chunks. */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 99, 100, 101, 200, 300, 301, 400, 900, 901, 1000, 2700, 2701, 2800, 8100, 8101, 8150, 24_301})
  void matchesIpfsUnixfsImporterAtLayoutBoundaries(int size) throws Exception {
    byte[] bytes = TestFiles.randomBytes(size, size);
    Path file = dir.resolve("l" + size);
    Files.write(file, bytes);
    assertSameAsNpm(file, bytes, CHUNK, WIDTH);
  }

  @Test
  void repeatedChunksShareOneBlockAndStillAssemble() throws Exception {
    byte[] zeros = new byte[CHUNK * 50];
    Path file = dir.resolve("zeros");
    Files.write(file, zeros);
    MemoryBlockStore store = assertSameAsNpm(file, zeros, CHUNK, WIDTH);
    // 50 identical leaves collapse to one raw block; the parents differ only by how many links they hold.
    long rawBlocks = store.size();
    assertTrue(rawBlocks < 10, "distinct blocks " + rawBlocks);
  }

  @Test
  void matchesTheUnixfsV1Profile1MibChunksWidth1024() throws Exception {
    int size = 3 * 1024 * 1024 + 5;
    byte[] bytes = TestFiles.randomBytes(size, 2025);
    Path file = dir.resolve("v1profile");
    Files.write(file, bytes);
    assertSameAsNpm(file, bytes, 1024 * 1024, 1024);
  }

  private static MemoryBlockStore assertSameAsNpm(Path file, byte[] bytes, int chunk, int width) throws Exception {
    MemoryBlockStore store = new MemoryBlockStore();
    ImportResult result = UnixFsImporter.create(chunk, width).importFile(file, store);
    var js = npm.add(file, null, "--chunk", Integer.toString(chunk), "--width", Integer.toString(width));
    assertEquals(js.get("root").asText(), result.root().toString(), "root CID for " + bytes.length + " bytes");
    assertEquals(js.get("size").asLong(), result.dagSize(), "cumulative size");
    assertEquals(js.get("blocks").asLong(), result.blockCount(), "blocks written");
    assertEquals(bytes.length <= chunk, result.root().codec() == Codec.RAW, "single chunk is its own raw leaf");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(bytes.length, FileAssembler.create().writeTo(result.root(), store, out));
    assertEquals(java.util.HexFormat.of().formatHex(bytes), java.util.HexFormat.of().formatHex(out.toByteArray()));
    return store;
  }
}
