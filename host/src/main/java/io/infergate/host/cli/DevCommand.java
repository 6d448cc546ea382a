package io.infergate.host.cli;

import io.infergate.host.config.ConfigException;
import io.infergate.host.config.ConfigLoader;
import io.infergate.host.config.HostConfig;
import io.infergate.host.InfergateHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code infergate dev}: a complete local node on embedded defaults, run from the repository root. The
 * example plugins built in {@code plugins/*}/target are installed into {@code .infergate/dev/plugins}, their
 * model files are found in {@code plugins/*}/target/models, and {@code .infergate/dev/node.json} describes
 * the node for tools and tests.
 */
@Command(name = "dev", mixinStandardHelpOptions = true, description = "Run a complete local node on embedded defaults.")
final class DevCommand implements Callable<Integer> {

  @Option(names = "--port", description = "HTTP port (default ${DEFAULT-VALUE}).", defaultValue = "8080")
  int port;

  @Option(names = "--home", description = "Repository root (default: the current directory).", defaultValue = ".")
  Path home;

  @Option(names = "--set", description = "Override one config key (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() {
    Path dev = home.resolve(".infergate/dev");
    HostConfig cfg;
    try {
      Path pluginsDir = installExamplePlugins(dev.resolve("plugins"));
      Map<String, String> values = new LinkedHashMap<>();
      values.put("http.port", Integer.toString(port));
      values.put("plugins.dir", pluginsDir.toString());
      values.put("plugins.work-dir", dev.resolve("work").toString());
      values.put("models.dirs", exampleModelDirs());
      values.putAll(overrides);
      cfg = ConfigLoader.builder().overrides(values).load();
    } catch (ConfigException e) {
      System.err.println("infergate dev: bad configuration: " + e.getMessage());
      return 2;
    }
    return NodeRunner.run(cfg, host -> {
      writeNodeJson(dev.resolve("node.json"), host);
      System.out.println("infergate dev node ready at " + host.url());
      System.out.println("  try: curl -s " + host.url() + "/v1/services/text-embedding -H 'Content-Type: application/json'"
          + " -d '{\"texts\":[\"hello world\"]}'");
    });
  }

  private Path installExamplePlugins(Path target) {
    try {
      Files.createDirectories(target);
      try (Stream<Path> old = Files.list(target)) {
        for (Path p : old.toList()) {
          Files.deleteIfExists(p);
        }
      }
      for (Path zip : exampleZips()) {
        Files.copy(zip, target.resolve(zip.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install the example plugins into " + target, e);
    }
  }

  private java.util.List<Path> exampleZips() throws IOException {
    Path plugins = home.resolve("plugins");
    if (!Files.isDirectory(plugins)) {
      return java.util.List.of();
    }
    try (Stream<Path> modules = Files.list(plugins)) {
      java.util.List<Path> zips = new java.util.ArrayList<>();
      for (Path m : modules.filter(Files::isDirectory).sorted().toList()) {
        Path targetDir = m.resolve("target");
        if (Files.isDirectory(targetDir)) {
          try (Stream<Path> files = Files.list(targetDir)) {
            files.filter(f -> f.toString().endsWith(".zip")).forEach(zips::add);
          }
        }
      }
      return zips;
    }
  }

  private String exampleModelDirs() {
    Path plugins = home.resolve("plugins");
    if (!Files.isDirectory(plugins)) {
      return "models";
    }
    try (Stream<Path> modules = Files.list(plugins)) {
      return String.join(",", modules.map(m -> m.resolve("target/models").toString()).sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeNodeJson(Path file, InfergateHost host) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("url", host.url());
    node.put("version", InfergateHost.version());
    node.put("services", host.plugins().catalog().all().stream().map(s -> s.name()).toList());
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), node);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
