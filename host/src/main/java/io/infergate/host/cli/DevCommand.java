package io.infergate.host.cli;

import io.infergate.host.config.ConfigException;
import io.infergate.host.config.ConfigLoader;
import io.infergate.host.config.HostConfig;
import io.infergate.host.InfergateHost;
import io.infergate.host.ipfs.store.ContentStore;
import io.infergate.host.ipfs.store.ContentStoreOptions;
import io.infergate.host.payments.chain.DevNetwork;
import io.infergate.host.plugins.LoadedService;
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

  @Option(names = "--no-chain", description = "Run without the local chain and payments (calls are free).")
  boolean noChain;

  @Override
  public Integer call() {
    Path dev = home.resolve(".infergate/dev");
    DevNetwork network = null;
    try {
      if (!noChain) {
        System.out.println("infergate dev: starting a local chain (anvil) and deploying the contracts ...");
        network = DevNetwork.start();
      }
      HostConfig cfg;
      try {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("http.port", Integer.toString(port));
        // The example plugins are published into the content store and loaded by CID, as an operator's
        // allowlist would name them; the plugins directory stays empty.
        values.put("plugins.allow", String.join(",", publishExamplePlugins(dev.resolve("content"))));
        values.put("plugins.dir", emptyDir(dev.resolve("plugins")).toString());
        values.put("plugins.work-dir", dev.resolve("work").toString());
        values.put("content.dir", dev.resolve("content").toString());
        values.put("models.dirs", exampleModelDirs());
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        if (network != null) {
          values.putAll(network.nodeConfig());
          // A fresh chain every run: the ledger of a previous run describes channels that no longer exist.
          Path ledger = dev.resolve("ledger.sqlite");
          deleteLedger(ledger);
          deleteLedger(dev.resolve("client.db"));     // the dev client's channels lived on the previous chain
          values.put("payments.ledger", ledger.toString());
          environment.putAll(network.nodeEnvironment());
        }
        values.putAll(overrides);
        cfg = ConfigLoader.builder().environment(environment).overrides(values).load();
      } catch (ConfigException e) {
        System.err.println("infergate dev: bad configuration: " + e.getMessage());
        return 2;
      }
      DevNetwork net = network;
      return NodeRunner.run(cfg, host -> {
        if (net != null) {
          for (LoadedService s : host.plugins().catalog().all()) {
            net.register(s.name(), s.pluginContentId(), s.modelInfos().stream().map(m -> m.contentId()).toList(),
                s.descriptor().price().maxPerCall(), host.url() + "/v2/models/" + s.name());
          }
        }
        writeNodeJson(dev.resolve("node.json"), host, net);
        System.out.println("infergate dev node ready at " + host.url());
        System.out.println("  free:  curl -s " + host.url() + "/v2/models/text-embedding");
        if (net == null) {
          System.out.println("  call:  curl -s " + host.url() + "/v1/services/text-embedding -H 'Content-Type: application/json'"
              + " -d '{\"texts\":[\"hello world\"]}'");
        } else {
          System.out.println("  paid:  ./infergate client deposit text-embedding --amount 100000 --data '{\"texts\":[\"hi\"]}'");
          System.out.println("         ./infergate client call text-embedding --data '{\"texts\":[\"hello world\"]}'");
          System.out.println("         (pays from the dev consumer " + net.consumer().address() + " on chain " + net.chainId()
              + "; .infergate/dev/node.json has the addresses and dev keys)");
        }
      });
    } finally {
      if (network != null) {
        network.close();
      }
    }
  }

  /** An empty directory (stale zips from older dev runs would load a second copy of a plugin). */
  private static Path emptyDir(Path dir) {
    try {
      Files.createDirectories(dir);
      try (Stream<Path> old = Files.list(dir)) {
        for (Path p : old.toList()) {
          Files.deleteIfExists(p);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + dir, e);
    }
  }

  private static void deleteLedger(Path ledger) {
    try {
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        Files.deleteIfExists(ledger.resolveSibling(ledger.getFileName() + suffix));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reset the dev ledger " + ledger, e);
    }
  }

  /** Imports the example plugin zips into the content store (pinned) and returns their CIDs. */
  private java.util.List<String> publishExamplePlugins(Path contentDir) {
    java.util.List<String> cids = new java.util.ArrayList<>();
    java.util.concurrent.ExecutorService io = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      ContentStore store = ContentStore.open(contentDir, ContentStoreOptions.defaults(), io);
      for (Path zip : exampleZips()) {
        cids.add(store.add(zip, true).root().toString());
      }
      return cids;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish the example plugins into " + contentDir, e);
    } finally {
      io.shutdownNow();
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

  private static void writeNodeJson(Path file, InfergateHost host, DevNetwork network) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("url", host.url());
    node.put("version", InfergateHost.version());
    node.put("services", host.plugins().catalog().all().stream().map(s -> s.name()).toList());
    if (network != null) {
      node.put("chainRpc", network.rpcUrl());
      node.put("chainId", network.chainId());
      Map<String, Object> contracts = new LinkedHashMap<>();
      contracts.put("batchSettlement", network.contracts().batchSettlement());
      contracts.put("erc3009Collector", network.contracts().erc3009Collector());
      contracts.put("token", network.contracts().token());
      contracts.put("receiptAnchor", network.contracts().receiptAnchor());
      contracts.put("serviceRegistry", network.contracts().serviceRegistry());
      node.put("contracts", contracts);
      node.put("provider", Map.of("address", network.provider().address().toString()));
      // The dedicated receipt key, registered as each service's receiptSigner in the ServiceRegistry.
      node.put("receiptSigner", Map.of("address", network.receiptSigner().address().toString()));
      node.put("consumer", Map.of("address", network.consumer().address().toString(),
          "privateKey", network.consumer().exportSecretHex()));
    }
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
