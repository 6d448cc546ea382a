package io.infergate.host.cli;

import io.infergate.host.config.ConfigException;
import io.infergate.host.config.ConfigLoader;
import io.infergate.host.config.HostConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code infergate serve}: runs a node from a config file, environment and {@code --set} overrides. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run a node. Configuration: defaults < --config file < INFERGATE_* environment < --set.")
final class ServeCommand implements Callable<Integer> {

  @Option(names = "--config", description = "JSON config file (see sdk-docs/operator.md).")
  Path config;

  @Option(names = "--set", description = "Override one key, e.g. --set http.port=9000 (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() {
    HostConfig cfg;
    try {
      cfg = ConfigLoader.builder().file(config).overrides(overrides).load();
    } catch (ConfigException e) {
      System.err.println("infergate: bad configuration: " + e.getMessage());
      return 2;
    }
    return NodeRunner.run(cfg, host -> System.out.println("infergate node ready at " + host.url()));
  }
}
