package io.infergate.host.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.config.ConfigLoader;
import io.infergate.host.config.HostConfig;
import io.infergate.host.fixtures.TestPluginZip;
import io.infergate.host.ipfs.ContentNode;
import io.vertx.core.Vertx;
import io.infergate.host.metrics.InferenceMetrics;
import io.infergate.host.models.ModelFiles;
import io.infergate.host.models.ModelLoadException;
import io.infergate.host.models.OrtRuntime;
import io.infergate.host.testplugins.BadDescriptorService;
import io.infergate.host.testplugins.DoublerService;
import io.infergate.host.testplugins.TestModels;
import io.infergate.plugin.api.AiService;
import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.Tensor;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading, rejecting and unloading real plugin zips with PF4J and ONNX Runtime. */
class PluginHostTest {
  @TempDir Path dir;
  ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  Vertx vertx = Vertx.vertx();
  ContentNode content;
  PluginHost host;

  @BeforeEach
  void create() throws Exception {
    host = newHost(Map.of());
  }

  PluginHost newHost(Map<String, String> overrides) throws Exception {
    Path models = TestModels.writeAll(Files.createDirectories(dir.resolve("models")));
    HostConfig config = ConfigLoader.builder().environment(Map.of())
        .override("plugins.work-dir", dir.resolve("work").toString())
        .override("models.dirs", models.toString())
        .override("content.dir", dir.resolve("content").toString())
        .overrides(overrides).load();
    if (content == null) {
      content = ContentNode.open(config.content(), vertx, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }
    return new PluginHost(config, OrtRuntime.create(config.runtime()), new ModelFiles(config.models().dirs(), content),
        InferenceMetrics.create(), timer);
  }

  @AfterEach
  void close() {
    host.close();
    content.close();
    vertx.close();
    timer.shutdownNow();
  }

  Path zip(TestPluginZip plugin) throws Exception {
    return plugin.writeTo(Files.createDirectories(dir.resolve("zips")));
  }

  void assertRejected(TestPluginZip plugin, String fragment) throws Exception {
    Path zip = zip(plugin);
    RuntimeException e = assertThrows(RuntimeException.class, () -> host.load(zip));
    assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    assertTrue(host.catalog().all().isEmpty(), "nothing is served after a rejection");
  }

  @Test
  void loadsAPluginAndRunsItsServiceThroughTheHostsModelSession() throws Exception {
    List<LoadedService> loaded = host.load(zip(TestPluginZip.plugin("doubler").extension(DoublerService.class)
        .include(TestModels.class)));
    LoadedService s = loaded.get(0);
    assertEquals("doubler", s.name());
    assertSame(host.catalog().find("doubler").orElseThrow(), s);
    // The service class comes from the plugin, the API it implements from the host.
    assertNotSame(PluginHost.class.getClassLoader(), s.service().getClass().getClassLoader());
    assertTrue(s.service() instanceof AiService);
    var out = s.executor().submit(InferenceInput.of(Map.of("x", Tensor.ofFloats(new long[] {1, 4}, new float[] {1, 2, 3, 4}))),
        "t1").get();
    assertEquals(List.of(2f, 4f, 6f, 8f), boxed(out.tensor("y").toFloatArray()));
  }

  @Test
  void unloadingReleasesThePluginClassLoader() throws Exception {
    host.load(zip(TestPluginZip.plugin("doubler").extension(DoublerService.class).include(TestModels.class)));
    LoadedService s = host.catalog().find("doubler").orElseThrow();
    s.executor().submit(InferenceInput.of(Map.of("x", Tensor.ofFloats(new long[] {1, 4}, new float[4]))), "t").get();
    WeakReference<ClassLoader> loader = new WeakReference<>(s.service().getClass().getClassLoader());
    s = null;
    host.unload("doubler");
    assertTrue(host.catalog().find("doubler").isEmpty());
    for (int i = 0; i < 50 && loader.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertNull(loader.get(), "the unloaded plugin's classloader is still reachable from the host");
  }

  @Test
  void rejectsAZipWithoutDescriptor() throws Exception {
    assertRejected(TestPluginZip.plugin("nodesc").extension(DoublerService.class).withoutDescriptor(), "has no plugin.properties");
  }

  @Test
  void rejectsADescriptorWithoutId() throws Exception {
    assertRejected(TestPluginZip.plugin("noid").extension(DoublerService.class).property("plugin.id", null), "has no plugin.id");
  }

  @Test
  void rejectsAPluginThatNeedsANewerPluginApi() throws Exception {
    assertRejected(TestPluginZip.plugin("future").extension(DoublerService.class).property("plugin.requires", ">=9.0.0"),
        "requires plugin-api >=9.0.0 but this host implements 0.1.0");
  }

  @Test
  void rejectsAPluginBundlingOnnxRuntime() throws Exception {
    assertRejected(TestPluginZip.plugin("ort").extension(DoublerService.class)
        .jarEntry("ai/onnxruntime/OrtSession.class", new byte[] {1}), "bundles ONNX Runtime");
    assertRejected(TestPluginZip.plugin("ortjar").extension(DoublerService.class)
        .zipEntry("lib/onnxruntime-1.23.2.jar", new byte[] {1}), "bundles ONNX Runtime");
  }

  @Test
  void rejectsNativeLibrariesAndPathTricks() throws Exception {
    assertRejected(TestPluginZip.plugin("native").extension(DoublerService.class)
        .zipEntry("lib/libtokenizers.so", new byte[] {1}), "native library");
    assertRejected(TestPluginZip.plugin("slip").extension(DoublerService.class)
        .zipEntry("../../escape.txt", new byte[] {1}), "outside the plugin directory");
  }

  @Test
  void rejectsAPluginWithoutExtensions() throws Exception {
    assertRejected(TestPluginZip.plugin("empty"), "has no AiService extension");
  }

  @Test
  void rejectsAnInvalidServiceDescriptor() throws Exception {
    assertRejected(TestPluginZip.plugin("bad").extension(BadDescriptorService.class),
        "invalid descriptor: service name 'Bad Name' is invalid");
  }

  @Test
  void rejectsAServiceWhoseModelIsMissing() throws Exception {
    host.close();
    host = newHost(Map.of("models.dirs", dir.resolve("empty").toString()));
    Path zip = zip(TestPluginZip.plugin("doubler").extension(DoublerService.class).include(TestModels.class));
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> host.load(zip));
    assertTrue(e.getMessage().contains("no file with " + TestModels.contentId(TestModels.DOUBLER)), e.getMessage());
  }

  @Test
  void aSecondPluginWithTheSameIdIsRefused() throws Exception {
    host.load(zip(TestPluginZip.plugin("doubler").extension(DoublerService.class).include(TestModels.class)));
    Path again = zip(TestPluginZip.plugin("doubler").extension(DoublerService.class).include(TestModels.class)
        .property("plugin.version", "1.0.1"));
    PluginRejectedException e = assertThrows(PluginRejectedException.class, () -> host.load(again));
    assertTrue(e.getMessage().contains("already loaded"), e.getMessage());
  }

  private static List<Float> boxed(float[] v) {
    Float[] b = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = v[i];
    }
    return List.of(b);
  }
}
