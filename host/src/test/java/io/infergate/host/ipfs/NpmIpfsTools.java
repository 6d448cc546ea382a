package io.infergate.host.ipfs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real npm IPFS tooling the ipfs tests compare against: {@code host/src/test/js/ipfs/unixfs.mjs} (npm
 * {@code ipfs-unixfs-importer}, {@code ipfs-unixfs-exporter}, {@code @ipld/car}, {@code multiformats}) and the
 * {@code ipfs-car} CLI, all pinned in {@code tools/package.json} and run with {@code node} from PATH.
 */
public final class NpmIpfsTools {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path tools;
  private final Path script;

  private NpmIpfsTools(Path tools, Path script) {
    this.tools = tools;
    this.script = script;
  }

  /** Finds {@code tools/} by walking up from the working directory (the module dir under Maven). */
  public static NpmIpfsTools locate() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("tools/package.json"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no tools/package.json above " + Path.of("").toAbsolutePath()
          + "; run the tests from inside the repository");
    }
    Path tools = dir.resolve("tools");
    if (!Files.isDirectory(tools.resolve("node_modules/ipfs-unixfs-importer"))) {
      throw new IllegalStateException("tools/node_modules is missing the npm IPFS tooling: run npm ci --prefix tools");
    }
    return new NpmIpfsTools(tools, dir.resolve("host/src/test/js/ipfs/unixfs.mjs"));
  }

  /** {@code ipfs-unixfs-importer} (cidVersion 1, rawLeaves true): root CID of {@code file}; writes a CAR if {@code car} is set. */
  public JsonNode add(Path file, Path car, String... extra) {
    List<String> args = new ArrayList<>(List.of("add", file.toString()));
    if (car != null) {
      args.add("--car");
      args.add(car.toString());
    }
    args.addAll(List.of(extra));
    return runScript(args);
  }

  /** {@code @ipld/car} + {@code ipfs-unixfs-exporter}: verify every block of a CAR and export its root file. */
  public JsonNode verifyCar(Path car) {
    return runScript(List.of("verify-car", car.toString()));
  }

  /** Like {@link #verifyCar} but expects failure; returns the tool's error message. */
  public String verifyCarFailure(Path car) {
    Result r = run(scriptCommand(List.of("verify-car", car.toString())));
    if (r.exit == 0) {
      throw new AssertionError("npm tooling accepted " + car + ": " + r.stdout);
    }
    return r.stderr;
  }

  /** multiformats' view of each CID. */
  public JsonNode cids(List<String> cids) {
    List<String> args = new ArrayList<>(List.of("cids"));
    args.addAll(cids);
    return runScript(args);
  }

  /** {@code ipfs-car pack <file> --no-wrap --output <car>}: returns the root CID it prints. */
  public String ipfsCarPack(Path file, Path car) {
    Result r = run(List.of("node", tools.resolve("node_modules/ipfs-car/bin.js").toString(), "pack",
        file.toString(), "--no-wrap", "--output", car.toString()));
    if (r.exit != 0) {
      throw new AssertionError("ipfs-car pack failed: " + r.stderr);
    }
    return r.stdout.trim();
  }

  private JsonNode runScript(List<String> args) {
    Result r = run(scriptCommand(args));
    if (r.exit != 0) {
      throw new AssertionError("node unixfs.mjs " + args + " failed: " + r.stderr);
    }
    try {
      return JSON.readTree(r.stdout);
    } catch (IOException e) {
      throw new AssertionError("unixfs.mjs printed no JSON: " + r.stdout, e);
    }
  }

  private List<String> scriptCommand(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("node", script.toString()));
    cmd.addAll(args);
    return cmd;
  }

  private record Result(int exit, String stdout, String stderr) {}

  private Result run(List<String> command) {
    try {
      Path out = Files.createTempFile("npm-ipfs", ".out");
      Path err = Files.createTempFile("npm-ipfs", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("INFERGATE_TOOLS", tools.toString());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new AssertionError("node did not finish within 5 minutes: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run node (is Node 20 on PATH?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
