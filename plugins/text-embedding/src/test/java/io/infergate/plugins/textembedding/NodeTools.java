package io.infergate.plugins.textembedding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a script of {@code src/test/js} with Node and the project's pinned npm toolchain in {@code tools/}. */
final class NodeTools {
  private NodeTools() {}

  /** This module's directory (Maven passes it; IDEs usually run tests from it). */
  static Path moduleDirectory() {
    String dir = System.getProperty("textembedding.moduleDirectory");
    return Path.of(dir != null ? dir : System.getProperty("user.dir")).toAbsolutePath();
  }

  /** {@code tools/} of the repository: the nearest ancestor directory holding {@code tools/package.json}. */
  static Path toolsDirectory() {
    for (Path d = moduleDirectory(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("tools/package.json"))) {
        Path tools = d.resolve("tools");
        if (!Files.isDirectory(tools.resolve("node_modules"))) {
          throw new IllegalStateException(tools.resolve("node_modules") + " is missing: run npm ci --prefix tools");
        }
        return tools;
      }
    }
    throw new IllegalStateException("no tools/package.json above " + moduleDirectory());
  }

  /** Runs {@code node src/test/js/<script> <args>} and returns its standard output; fails with its stderr. */
  static String run(String script, String... args) throws IOException, InterruptedException {
    Path tools = toolsDirectory();
    List<String> command = new ArrayList<>(List.of("node", moduleDirectory().resolve("src/test/js").resolve(script).toString(),
        tools.toString()));
    command.addAll(List.of(args));
    Path err = Files.createTempFile("node-stderr", ".txt");
    try {
      Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(script + " did not finish within 2 minutes");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(script + " failed (exit " + p.exitValue() + "): "
            + Files.readString(err) + "\nIf a module is missing: run npm ci --prefix tools");
      }
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
