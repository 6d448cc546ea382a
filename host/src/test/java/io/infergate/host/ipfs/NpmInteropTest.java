package io.infergate.host.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.host.ipfs.block.MemoryBlockStore;
import io.infergate.host.ipfs.car.CarExporter;
import io.infergate.host.ipfs.car.CarLimits;
import io.infergate.host.ipfs.car.CarReader;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.unixfs.DagLimits;
import io.infergate.host.ipfs.unixfs.FileAssembler;
import io.infergate.host.ipfs.unixfs.ImportResult;
import io.infergate.host.ipfs.unixfs.UnixFsImporter;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The node's CIDs and CARs against the real npm tooling, for the file sizes where layouts differ: empty, one
 * byte, exactly one chunk, one chunk + 1, 174 chunks + 1 (a second tree level) and ~50 MB of random data.
 * In both directions: npm's CAR imports and assembles here, and our CAR imports and exports in npm.
 */
class NpmInteropTest {
  private static final long CHUNK = UnixFsImporter.DEFAULT_CHUNK_SIZE;
  @TempDir static Path dir;
  private static NpmIpfsTools npm;

  @BeforeAll
  static void tools() {
    npm = NpmIpfsTools.locate();
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {0, 1, CHUNK, CHUNK + 1, 174 * CHUNK, 174 * CHUNK + 1, 50_000_017})
  void sameRootCidAndCarsGoBothWays(long size) throws Exception {
    Path file = TestFiles.random(dir, "f" + size, size, size);
    String sha = sha256(file);

    // 1. ipfs-unixfs-importer and our importer agree on the root CID.
    Path npmCar = dir.resolve("npm-" + size + ".car");
    JsonNode js = npm.add(file, npmCar);
    MemoryBlockStore ours = new MemoryBlockStore();
    ImportResult imported = UnixFsImporter.create().importFile(file, ours);
    assertEquals(js.get("root").asText(), imported.root().toString(), "root CID");
    assertEquals(js.get("size").asLong(), imported.dagSize(), "cumulative DAG size");
    assertEquals(size, imported.fileSize());

    // 2. npm's CAR reads, verifies and assembles here to the same bytes.
    MemoryBlockStore fromNpm = new MemoryBlockStore();
    try (InputStream in = Files.newInputStream(npmCar)) {
      CarReader.readAll(in, imported.root(), fromNpm, CarLimits.defaults());
    }
    Path out = dir.resolve("out-" + size);
    assertEquals(size, FileAssembler.create().assemble(imported.root(), fromNpm, out));
    assertEquals(sha, sha256(out));

    // 3. our CAR reads, verifies and exports in npm to the same bytes.
    Path ourCar = dir.resolve("ours-" + size + ".car");
    try (OutputStream o = Files.newOutputStream(ourCar)) {
      CarExporter.create(DagLimits.defaults()).export(imported.root(), ours, o);
    }
    JsonNode verified = npm.verifyCar(ourCar);
    assertEquals(imported.root().toString(), verified.get("root").asText());
    assertEquals(size, verified.get("size").asLong());
    assertEquals(sha, verified.get("sha256").asText());
    assertEquals(fromNpm.size(), verified.get("blocks").asInt(), "distinct blocks");

    Files.delete(file);
    Files.delete(out);
  }

  /** ipfs-car (@ipld/unixfs, a second implementation, dag-pb leaves) packs a CAR; it must assemble here. */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {0, 1, CHUNK + 1, 3_000_000})
  void ipfsCarPackImportsAndAssembles(long size) throws Exception {
    Path file = TestFiles.random(dir, "p" + size, size, 77 + size);
    Path car = dir.resolve("ipfs-car-" + size + ".car");
    Cid root = Cid.parse(npm.ipfsCarPack(file, car));
    MemoryBlockStore blocks = new MemoryBlockStore();
    try (InputStream in = Files.newInputStream(car)) {
      CarReader.readAll(in, root, blocks, CarLimits.defaults());
    }
    Path out = dir.resolve("p-out-" + size);
    assertEquals(size, FileAssembler.create().assemble(root, blocks, out));
    assertEquals(sha256(file), sha256(out));
  }

  static String sha256(Path file) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
