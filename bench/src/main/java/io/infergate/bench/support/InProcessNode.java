package io.infergate.bench.support;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.host.config.ConfigLoader;
import io.infergate.host.config.HostConfig;
import io.infergate.host.metrics.InferenceMetrics;
import io.infergate.host.models.ModelFiles;
import io.infergate.host.models.OrtRuntime;
import io.infergate.host.oip.OipRequest;
import io.infergate.host.oip.OipRequestDecoder;
import io.infergate.host.oip.OipResponseEncoder;
import io.infergate.host.plugins.LoadedService;
import io.infergate.host.plugins.PluginHost;
import io.infergate.host.ipfs.ContentNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Collectors;

/**
 * The host's call path without HTTP: plugins loaded from real zips by the real {@link PluginHost} (PF4J,
 * plugin classloader, host-owned sessions, the service's bounded executor and deadline timer), and each call
 * handled the way {@code InferRoute} and {@code ServiceRoute} handle it once Vert.x has the body: decode OIP
 * JSON, submit to the executor, wait, encode. What it leaves out is the socket, HTTP parsing, routing, the
 * body handler and the hop back to the event loop; {@code run-load.sh} measures those with wrk.
 */
public final class InProcessNode implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  /** Content resolution needs a Vert.x instance (for its fetchers); the benchmarks never fetch. */
  private static final Vertx VERTX = Vertx.vertx();
  private final PluginHost plugins;
  private final ScheduledExecutorService timer;
  private final HostConfig config;

  private InProcessNode(HostConfig config, PluginHost plugins, ScheduledExecutorService timer) {
    this.config = config;
    this.plugins = plugins;
    this.timer = timer;
  }

  /** Loads {@code pluginZips} with models from {@code modelDirs}; {@code workDir} receives unpacked plugins. */
  public static InProcessNode start(Path workDir, List<Path> pluginZips, List<Path> modelDirs) {
    HostConfig config = ConfigLoader.builder().environment(Map.of())
        .override("plugins.work-dir", workDir.toString())
        .override("models.dirs", modelDirs.stream().map(Path::toString).collect(Collectors.joining(",")))
        .override("content.dir", workDir.resolve("content").toString())
        .load();
    // As InfergateHost makes it (cancelled deadlines removed); -Dinfergate.bench.timer-keep-cancelled=true measures the old policy.
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "bench-deadlines");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(!Boolean.getBoolean("infergate.bench.timer-keep-cancelled"));
    ContentNode content = ContentNode.open(config.content(), VERTX, new SimpleMeterRegistry());
    PluginHost plugins = new PluginHost(config, OrtRuntime.create(config.runtime()),
        new ModelFiles(config.models().dirs(), content), InferenceMetrics.create(), timer);
    pluginZips.forEach(plugins::load);
    return new InProcessNode(config, plugins, timer);
  }

  /** An OIP v2 JSON call, as {@code POST /v2/models/{model}/infer} runs it after the body arrived. */
  public Buffer infer(String model, Buffer body) {
    LoadedService service = service(model);
    OipRequest request = OipRequestDecoder.create(service.descriptor()).decode(body, null);
    String requestId = request.id().orElseGet(() -> Long.toHexString(System.nanoTime()));
    OipResponseEncoder encoder = OipResponseEncoder.create(service.descriptor());
    return service.executor().submit(request.input(), requestId)
        .thenApply(output -> encoder.encode(request, output)).join().body();
  }

  /** A service's JSON route, as {@code POST /v1/services/{name}} runs it after the body arrived. */
  public byte[] callJson(String name, byte[] body) throws IOException {
    LoadedService service = service(name);
    Map<String, Object> parsed = JSON.readValue(body, OBJECT);
    return service.executor().submitJson(service.service().jsonAdapter().orElseThrow(), parsed,
        Long.toHexString(System.nanoTime())).join().body();
  }

  /** The host-owned session of a service's model, to time the host's model bridge on its own. */
  public io.infergate.host.models.ModelSession modelSession(String service, String model) {
    return service(service).models().get(model);
  }

  private LoadedService service(String name) {
    return plugins.catalog().find(name).orElseThrow(() -> new IllegalArgumentException("no service " + name));
  }

  @Override
  public void close() throws InterruptedException {
    plugins.drain(Duration.ofSeconds(5));
    plugins.close();
    timer.shutdownNow();
  }

  public HostConfig config() {
    return config;
  }
}
