package io.infergate.client.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.client.ClientException;
import io.infergate.client.store.StoredCall;
import io.infergate.host.InfergateHost;
import io.infergate.host.config.ConfigLoader;
import io.infergate.host.plugins.LoadedService;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.InferenceReceipt;
import io.infergate.x402.receipt.SignedReceipt;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Re-runs a stored call in this JVM: an Infergate host with payments off, whose plugin allowlist is the receipt's
 * {@code pluginCid}, fetches the plugin zip and its models from a trustless gateway (by default the node's own
 * {@code /ipfs/{cid}}) and verifies every block against its CID, exactly as a node does; then the stored request
 * is sent to it and the response hash compared with the receipt's.
 *
 * <p>Verdicts: the plugin does not provide the service, or its models do not hash to {@code modelCid}:
 * {@code FAIL}; the local runtime profile hash differs from the receipt's {@code runtimeProfileHash}:
 * {@code INCONCLUSIVE} ("cannot compare: profile differs (local X vs receipt Y)"), because ORT output is only
 * reproducible under one profile; otherwise {@code PASS} when the response bytes hash to {@code responseHash}, and
 * {@code FAIL} when they do not (the node's answer is not what the named code and weights compute).
 *
 * <pre>{@code
 * ReceiptVerifier v = ReceiptVerifier.builder(chain).log(store.receipts())
 *     .reexecutor(new LocalReexecutor(URI.create("http://node:8080"), Map.of())).build();
 * }</pre>
 */
public final class LocalReexecutor implements Reexecutor {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI gateway;
  private final Map<String, String> config;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * @param gateway the trustless gateway to fetch plugin and models from (a node's base URL serves one)
   * @param config host settings for the local runtime (e.g. {@code runtime.intra-op-threads}); the defaults are a
   *     node's defaults
   */
  public LocalReexecutor(URI gateway, Map<String, String> config) {
    this.gateway = gateway;
    this.config = Map.copyOf(config);
  }

  @Override
  public Check reexecute(SignedReceipt signed, StoredCall call) {
    InferenceReceipt r = signed.receipt();
    Path work;
    try {
      work = Files.createTempDirectory("infergate-reexecute-");
    } catch (IOException e) {
      throw new ClientException("cannot create a work directory for re-execution: " + e.getMessage());
    }
    String base = gateway.toString().replaceAll("/+$", "");
    Map<String, String> values = new LinkedHashMap<>();
    values.put("http.host", "127.0.0.1");
    values.put("http.port", "0");
    values.put("plugins.dir", work.resolve("plugins").toString());
    values.put("plugins.work-dir", work.resolve("unpacked").toString());
    values.put("plugins.allow", r.pluginCid());
    values.put("content.dir", work.resolve("content").toString());
    values.put("content.sources", "gateway=" + base);
    values.put("payments.enabled", "false");
    values.putAll(config);
    try (InfergateHost host = InfergateHost.start(ConfigLoader.builder().environment(Map.of()).overrides(values)
        .load())) {
      if (!host.rejectedPlugins().isEmpty()) {
        return Check.fail("reexecution", "plugin " + r.pluginCid() + " from " + base + " could not be loaded: "
            + String.join("; ", host.rejectedPlugins()));
      }
      Optional<LoadedService> service = host.plugins().catalog().all().stream()
          .filter(s -> s.descriptor().name().equals(r.service())).findFirst();
      if (service.isEmpty()) {
        return Check.fail("reexecution", "plugin " + r.pluginCid() + " does not provide service '" + r.service()
            + "' (it provides " + host.plugins().catalog().all().stream().map(s -> s.descriptor().name()).toList()
            + ")");
      }
      Bytes32 models = InferenceReceipt.modelSetHash(service.get().modelInfos().stream().map(m -> m.contentId())
          .toList());
      if (!models.equals(r.modelCid())) {
        return Check.fail("reexecution", "plugin " + r.pluginCid() + " names models hashing to " + models
            + ", the receipt's modelCid is " + r.modelCid());
      }
      URI local = URI.create(host.url());
      Bytes32 profile = localProfile(local, r.service());
      if (profile == null) {
        return Check.inconclusive("reexecution", "cannot compare: the local host reports no runtime profile hash");
      }
      if (!profile.equals(r.runtimeProfileHash())) {
        return Check.inconclusive("reexecution", "cannot compare: profile differs (local " + profile + " vs receipt "
            + r.runtimeProfileHash() + "); re-run on a machine with the receipt's runtime profile");
      }
      HttpRequest.Builder req = HttpRequest.newBuilder(local.resolve(call.path())).timeout(Duration.ofMinutes(2))
          .POST(HttpRequest.BodyPublishers.ofByteArray(call.requestBody()));
      if (call.inferenceHeaderLength() > 0) {
        req.header("Inference-Header-Content-Length", Long.toString(call.inferenceHeaderLength()))
            .header("Content-Type", "application/octet-stream");
      } else {
        req.header("Content-Type", "application/json");
      }
      HttpResponse<byte[]> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (resp.statusCode() != 200) {
        return Check.fail("reexecution", "the local run answered " + resp.statusCode() + ": "
            + new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8));
      }
      Bytes32 got = Bytes32.keccak(resp.body());
      return got.equals(r.responseHash())
          ? Check.pass("reexecution", "re-running plugin " + r.pluginCid() + " under the same runtime profile gives"
              + " the same response (" + got + ")")
          : Check.fail("reexecution", "re-running plugin " + r.pluginCid() + " under the receipt's runtime profile"
              + " gives response " + got + ", the receipt attests " + r.responseHash()
              + ": the node's answer is not what the named code and weights compute");
    } catch (IOException e) {
      return Check.fail("reexecution", "the local run failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted during re-execution");
    } catch (RuntimeException e) {
      return Check.fail("reexecution", "cannot start a local runtime for plugin " + r.pluginCid() + " from " + base
          + ": " + e.getMessage());
    } finally {
      deleteTree(work);
    }
  }

  private Bytes32 localProfile(URI local, String service) throws IOException, InterruptedException {
    HttpResponse<byte[]> m = http.send(HttpRequest.newBuilder(local.resolve("/v2/models/" + service))
        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    JsonNode hash = JSON.readTree(m.body()).path("runtimeProfile").path("hash");
    return hash.isTextual() ? Bytes32.parse(hash.asText()) : null;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover temp directory is not worth failing a verification over
    }
  }
}
