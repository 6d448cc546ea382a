package io.infergate.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.TestPluginZip;
import io.infergate.host.testplugins.FloatsAdapter;
import io.infergate.host.testplugins.PauseService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real command line in its own JVM: SIGTERM while a call runs lets the call finish (drained before
 * the models close), then the process exits 0.
 */
class GracefulShutdownTest {
  @TempDir Path dir;

  @Test
  void sigtermDrainsTheRunningCallThenExits() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    TestPluginZip.plugin("pause").extension(PauseService.class).include(FloatsAdapter.class).writeTo(plugins);
    Path log = dir.resolve("node.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process node = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        InfergateCommand.class.getName(), "serve", "--set", "http.port=0", "--set", "plugins.dir=" + plugins,
        "--set", "plugins.work-dir=" + dir.resolve("work"), "--set", "content.dir=" + dir.resolve("content"),
        "--set", "models.dirs=" + dir.resolve("models"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      // The output goes to a file: reading a child's pipe while it exits races the JDK's own drain of it.
      String url = null;
      for (int i = 0; i < 600 && url == null && node.isAlive(); i++) {
        url = Files.readAllLines(log).stream().filter(l -> l.startsWith("infergate node ready at "))
            .map(l -> l.substring("infergate node ready at ".length()).trim()).findFirst().orElse(null);
        Thread.sleep(50);
      }
      assertTrue(url != null, "the node never became ready:\n" + Files.readString(log));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      CompletableFuture<HttpResponse<String>> call = http.sendAsync(
          HttpRequest.newBuilder(URI.create(url + "/v1/services/pause")).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"x\":[1,2]}")).build(), HttpResponse.BodyHandlers.ofString());
      String gauge = "infergate_requests_in_flight{model=\"pause\"} 1.0";
      for (int i = 0; i < 100 && !http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString()).body().contains(gauge); i++) {
        Thread.sleep(20);
      }
      node.destroy();   // SIGTERM
      HttpResponse<String> answered = call.get(30, TimeUnit.SECONDS);
      assertEquals(200, answered.statusCode(), answered.body());
      assertEquals("{\"y\":[1.0,2.0]}", answered.body());
      assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node did not exit after SIGTERM");
      String output = Files.readString(log);
      assertEquals(0, node.exitValue(), output);
      assertTrue(output.contains("stopping (draining in-flight calls)") && output.contains("Infergate stopped"), output);
    } finally {
      node.destroyForcibly();
    }
  }
}
