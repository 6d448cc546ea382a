package io.infergate.testkit;

import io.infergate.host.InfergateHost;
import io.infergate.host.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Infergate host with the plugin under test, on a free loopback port, in the test's JVM. It uses
 * the same code path as a production node: the zip is inspected, unpacked, checked against the plugin-api
 * version and loaded by PF4J; models are verified by content ID and run by ONNX Runtime. Close it after
 * the test (try-with-resources).
 */
public final class InfergateTestHost implements AutoCloseable {
  private final InfergateHost host;
  private final Path workDir;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  private InfergateTestHost(InfergateHost host, Path workDir) {
    this.host = host;
    this.workDir = workDir;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The host's base URI, e.g. {@code http://127.0.0.1:41234}. */
  public URI baseUri() {
    return URI.create(host.url());
  }

  /** The running host, for tests that need more than HTTP (e.g. unloading a plugin). */
  public InfergateHost host() {
    return host;
  }

  /** POSTs a JSON body to a path of the host. */
  public HttpResponse<String> postJson(String path, String json) {
    return send(HttpRequest.newBuilder(baseUri().resolve(path)).timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  /** POSTs raw bytes with extra headers (e.g. the OIP binary extension's {@code Inference-Header-Content-Length}). */
  public HttpResponse<byte[]> postBytes(String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(baseUri().resolve(path)).timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GETs a path of the host. */
  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(baseUri().resolve(path)).timeout(Duration.ofSeconds(120)).GET().build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      host.close();
    } finally {
      deleteTree(workDir);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover temp directory is not worth failing a test over.
    }
  }

  /** Configures an {@link InfergateTestHost}. */
  public static final class Builder {
    private final List<Path> plugins = new ArrayList<>();
    private final List<Path> modelDirs = new ArrayList<>();
    private final Map<String, String> config = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Environment variables the host sees, e.g. the keys named by {@code payments.facilitator-key-env}
     * (keys are never configuration).
     */
    public Builder environment(Map<String, String> variables) {
      environment.putAll(variables);
      return this;
    }

    /** A plugin zip to load (as built by the plugin's Maven build). */
    public Builder plugin(Path pluginZip) {
      if (!pluginZip.toString().endsWith(".zip") || !Files.isRegularFile(pluginZip)) {
        throw new IllegalArgumentException(pluginZip + " is not a plugin zip; run 'mvn package' on the plugin first");
      }
      plugins.add(pluginZip);
      return this;
    }

    /**
     * A directory of model files: a model named by CID (or sha256) is taken from the file with that content ID,
     * imported into the host's content store.
     */
    public Builder modelDirectory(Path directory) {
      modelDirs.add(directory);
      return this;
    }

    /** Any host configuration key, as in the node's config file (e.g. {@code inference.timeout-ms}). */
    public Builder config(String key, String value) {
      config.put(key, value);
      return this;
    }

    /** Every key of {@code values} not set yet (earlier {@link #config} calls win). */
    public Builder configAll(Map<String, String> values) {
      values.forEach(config::putIfAbsent);
      return this;
    }

    /** Starts the host; fails with the host's own message if a plugin or model is rejected. */
    public InfergateTestHost start() {
      Path work;
      try {
        work = Files.createTempDirectory("infergate-testkit-");
        Path pluginDir = Files.createDirectories(work.resolve("plugins"));
        for (Path p : plugins) {
          Files.copy(p, pluginDir.resolve(p.getFileName()));
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("http.port", "0");
        values.put("plugins.dir", pluginDir.toString());
        values.put("plugins.work-dir", work.resolve("unpacked").toString());
        values.put("models.dirs", String.join(",", modelDirs.stream().map(Path::toString).toList()));
        values.put("content.dir", work.resolve("content").toString());
        values.putAll(config);
        InfergateHost host = InfergateHost.start(ConfigLoader.builder().environment(environment).overrides(values).load());
        if (!host.rejectedPlugins().isEmpty()) {
          host.close();
          throw new IllegalStateException("plugin rejected: " + String.join("; ", host.rejectedPlugins()));
        }
        return new InfergateTestHost(host, work);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
