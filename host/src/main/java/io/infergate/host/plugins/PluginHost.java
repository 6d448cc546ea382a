package io.infergate.host.plugins;

import io.infergate.host.config.HostConfig;
import io.infergate.host.inference.ServiceExecutor;
import io.infergate.host.ipfs.ContentException;
import io.infergate.host.ipfs.ContentNode;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.metrics.InferenceMetrics;
import io.infergate.host.models.ModelFiles;
import io.infergate.host.models.ModelLoadException;
import io.infergate.host.models.ModelSession;
import io.infergate.host.models.OrtRuntime;
import io.infergate.plugin.api.AiService;
import io.infergate.plugin.api.ModelRef;
import io.infergate.plugin.api.PluginApi;
import io.infergate.plugin.api.ServiceDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and unloads plugins and publishes their services.
 *
 * <p>Every mutation is serialized ({@code synchronized}); readers use {@link #catalog()}, an immutable
 * snapshot. Unloading removes the service from the catalog first (no new calls), drains its executor,
 * closes the service and its sessions, removes its meters, and only then unloads the PF4J plugin, so no
 * host structure keeps a reference into the plugin's classloader.
 */
public final class PluginHost implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

  private final HostConfig config;
  private final OrtRuntime ort;
  private final ModelFiles modelFiles;
  private final InferenceMetrics metrics;
  private final ScheduledExecutorService timer;
  private final InfergatePluginManager pf4j;
  private final Map<String, List<LoadedService>> byPlugin = new LinkedHashMap<>();
  private volatile ServiceCatalog catalog = ServiceCatalog.empty();

  public PluginHost(HostConfig config, OrtRuntime ort, ModelFiles modelFiles, InferenceMetrics metrics,
      ScheduledExecutorService timer) {
    this.config = config;
    this.ort = ort;
    this.modelFiles = modelFiles;
    this.metrics = metrics;
    this.timer = timer;
    this.pf4j = new InfergatePluginManager(config.plugins().workDir());
  }

  /** The services served right now. */
  public ServiceCatalog catalog() {
    return catalog;
  }

  /** Loads every {@code *.zip} in the plugins directory; a rejected plugin is logged and skipped. */
  public synchronized List<String> loadDirectory(Path dir) {
    List<String> rejected = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      LOG.info("plugins directory {} does not exist; no plugins loaded", dir.toAbsolutePath());
      return rejected;
    }
    List<Path> zips;
    try (Stream<Path> files = Files.list(dir)) {
      zips = files.filter(p -> p.toString().endsWith(".zip")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list plugins directory " + dir, e);
    }
    for (Path zip : zips) {
      try {
        load(zip);
      } catch (PluginRejectedException | ModelLoadException e) {
        LOG.error("{}", e.getMessage());
        rejected.add(e.getMessage());
      }
    }
    return rejected;
  }

  /** Fetches (or finds), verifies and loads each plugin CID of the operator's allowlist; rejections are logged and skipped. */
  public synchronized List<String> loadAllowed(List<String> cids, ContentNode content) {
    List<String> rejected = new ArrayList<>();
    for (String text : cids) {
      try {
        Cid cid = Cid.parse(text);
        load(content.resolve(cid, "plugin " + text, List.of()), cid.toString());
      } catch (PluginRejectedException | ModelLoadException | ContentException e) {
        LOG.error("plugin {}: {}", text, e.getMessage());
        rejected.add("plugin " + text + ": " + e.getMessage());
      }
    }
    return rejected;
  }

  /** Loads one plugin zip, identified by the sha256 of its bytes, and opens its services; returns them. */
  public synchronized List<LoadedService> load(Path zip) {
    return load(zip, "sha256:" + digest(zip));
  }

  /** Loads one plugin zip whose bytes are known to have {@code contentId} (a verified CID or sha256). */
  public synchronized List<LoadedService> load(Path zip, String contentId) {
    String label = contentId.startsWith("sha256:") ? zip.getFileName().toString() : contentId;
    String digest = digest(zip);
    PluginZipInspector.inspect(zip);
    Path dir = PluginUnpacker.unpack(zip, digest, config.plugins().workDir());
    String id = PluginDescriptorCheck.check(dir, label, PluginApi.version());
    if (pf4j.getPlugin(id) != null) {
      throw new PluginRejectedException("plugin " + id + " (" + label + ") is already loaded; unload it before loading another version");
    }
    String loadedId = pf4j.loadPlugin(dir);
    List<LoadedService> opened = new ArrayList<>();
    try {
      if (pf4j.startPlugin(loadedId) != PluginState.STARTED) {
        PluginWrapper w = pf4j.getPlugin(loadedId);
        throw new PluginRejectedException("plugin " + id + " did not start"
            + (w.getFailedException() == null ? "" : ": " + w.getFailedException()));
      }
      ClassLoader loader = pf4j.getPluginClassLoader(loadedId);
      List<AiService> services = withLoader(loader, () -> pf4j.getExtensions(AiService.class, loadedId));
      if (services.isEmpty()) {
        throw new PluginRejectedException("plugin " + id + " has no AiService extension; annotate the class with"
            + " @Extension and make sure the PF4J annotation processor wrote META-INF/extensions.idx");
      }
      for (AiService service : services) {
        opened.add(open(id, contentId, loader, service));
      }
    } catch (RuntimeException e) {
      opened.forEach(this::close);
      pf4j.unloadPlugin(loadedId);
      throw e instanceof PluginRejectedException || e instanceof ModelLoadException ? e
          : new PluginRejectedException("plugin " + id + " failed to load: " + e, e);
    }
    byPlugin.put(loadedId, List.copyOf(opened));
    ServiceCatalog next = catalog;
    for (LoadedService s : opened) {
      next = next.with(s);
      LOG.info("serving '{}' {} from plugin {} ({}) on {}", s.name(), s.descriptor().version(), id, contentId,
          s.modelInfos().stream().map(m -> m.name() + "@" + m.executionProvider()).toList());
    }
    catalog = next;
    return opened;
  }

  /** Unloads a plugin and everything it served. */
  public synchronized void unload(String pluginId) {
    List<LoadedService> services = byPlugin.remove(pluginId);
    if (services == null) {
      throw new PluginRejectedException("plugin " + pluginId + " is not loaded");
    }
    ServiceCatalog next = catalog;
    for (LoadedService s : services) {
      next = next.without(s.name());
    }
    catalog = next;
    services.forEach(this::close);
    pf4j.stopPlugin(pluginId);
    pf4j.unloadPlugin(pluginId);
    LOG.info("unloaded plugin {}", pluginId);
  }

  private LoadedService open(String pluginId, String contentId, ClassLoader loader, AiService service) {
    ServiceDescriptor d;
    try {
      d = withLoader(loader, service::descriptor);
    } catch (RuntimeException e) {
      throw new PluginRejectedException("plugin " + pluginId + ": " + service.getClass().getName()
          + " has an invalid descriptor: " + e.getMessage(), e);
    }
    if (d == null) {
      throw new PluginRejectedException("plugin " + pluginId + ": " + service.getClass().getName() + ".descriptor() returned null");
    }
    if (catalog.find(d.name()).isPresent()) {
      throw new PluginRejectedException("plugin " + pluginId + ": service '" + d.name()
          + "' is already served by plugin " + catalog.find(d.name()).get().pluginId());
    }
    Map<String, ModelSession> sessions = new LinkedHashMap<>();
    try {
      for (ModelRef ref : d.models()) {
        Path file = modelFiles.resolve(ref.name(), ref.contentId());
        sessions.put(ref.name(), ort.open(ref.name(), ref.contentId(), file));
      }
      var context = new HostServiceContext(d.name(), sessions, config.serviceSettings().getOrDefault(d.name(), Map.of()));
      withLoader(loader, () -> {
        service.open(context);
        return null;
      });
    } catch (RuntimeException e) {
      sessions.values().forEach(ModelSession::close);
      throw e instanceof ModelLoadException ? e : new PluginRejectedException("plugin " + pluginId + ": service '"
          + d.name() + "' failed to open: " + e.getMessage(), e);
    }
    ServiceExecutor executor = new ServiceExecutor(d, service, loader, sessions, config.inference(), metrics, timer);
    return new LoadedService(pluginId, contentId, d, Map.copyOf(sessions), executor, service);
  }

  private void close(LoadedService s) {
    try {
      s.executor().drain(config.inference().drainTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      withLoader(s.executor().pluginLoader(), () -> {
        s.service().close();
        return null;
      });
    } catch (RuntimeException e) {
      LOG.warn("service '{}' failed to close: {}", s.name(), e.toString());
    }
    s.models().values().forEach(ModelSession::close);
    metrics.forget(s.name());
  }

  /** Drains and unloads every plugin; the ORT sessions are closed before this returns. */
  @Override
  public synchronized void close() {
    for (String id : List.copyOf(byPlugin.keySet())) {
      try {
        unload(id);
      } catch (RuntimeException e) {
        LOG.warn("unloading plugin {} failed: {}", id, e.toString());
      }
    }
  }

  /** Waits for every service's in-flight calls (up to the drain timeout each) without unloading. */
  public void drain(Duration grace) throws InterruptedException {
    for (LoadedService s : catalog.all()) {
      s.executor().drain(grace);
    }
  }

  private static <T> T withLoader(ClassLoader loader, Callable<T> action) {
    Thread t = Thread.currentThread();
    ClassLoader previous = t.getContextClassLoader();
    t.setContextClassLoader(loader);
    try {
      return action.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new PluginRejectedException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    } finally {
      t.setContextClassLoader(previous);
    }
  }

  private static String digest(Path zip) {
    try {
      return ModelFiles.sha256(zip);
    } catch (IOException e) {
      throw new PluginRejectedException("cannot read plugin " + zip + ": " + e.getMessage(), e);
    }
  }
}
