package io.infergate.host.http;

import io.infergate.host.errors.NotFoundException;
import io.infergate.host.models.OrtRuntime;
import io.infergate.host.plugins.LoadedService;
import io.infergate.host.plugins.PluginHost;
import io.infergate.plugin.api.ModelInfo;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.host.oip.ModelMetadataEncoder;
import io.infergate.host.payments.gate.PaymentGate;
import io.infergate.x402.wire.X402Codec;
import java.util.Optional;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server and model metadata: {@code GET /v2}, {@code GET /v2/models} and {@code GET /v2/models/{m}}. Model
 * metadata is OIP's, plus what a paying client wants to know before calling: price, payee, the content IDs
 * of plugin and models, and the execution provider and runtime profile actually in use.
 */
final class MetadataRoutes {
  static final List<String> EXTENSIONS = List.of("binary_tensor_data");

  private final PluginHost plugins;
  private final OrtRuntime ort;
  private final String hostVersion;

  private final Optional<PaymentGate> gate;

  MetadataRoutes(PluginHost plugins, OrtRuntime ort, String hostVersion, Optional<PaymentGate> gate) {
    this.gate = gate;
    this.plugins = plugins;
    this.ort = ort;
    this.hostVersion = hostVersion;
  }

  void server(RoutingContext ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "infergate");
    body.put("version", hostVersion);
    body.put("extensions", EXTENSIONS);
    Json.ok(ctx, body);
  }

  void models(RoutingContext ctx) {
    List<Map<String, Object>> models = new ArrayList<>();
    for (LoadedService s : plugins.catalog().all()) {
      models.add(Map.of("name", s.name(), "version", s.descriptor().version(), "state", "READY"));
    }
    Json.ok(ctx, Map.of("models", models));
  }

  void model(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(metadata(service(plugins, ctx)));
  }

  /** OIP model metadata plus price, payee, content IDs, execution provider and runtime profile. */
  Buffer metadata(LoadedService s) {
    ServiceDescriptor d = s.descriptor();
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("description", d.description());
    extra.put("max_batch_size", d.maxBatchSize());
    extra.put("price", Map.of("maxPerCall", d.price().maxPerCall().toString()));
    d.payTo().ifPresent(p -> extra.put("payTo", p));
    extra.put("plugin", Map.of("id", s.pluginId(), "contentId", s.pluginContentId()));
    List<Map<String, Object>> models = new ArrayList<>();
    for (ModelInfo m : s.modelInfos()) {
      Map<String, Object> mi = new LinkedHashMap<>();
      mi.put("name", m.name());
      mi.put("contentId", m.contentId());
      mi.put("executionProvider", m.executionProvider());
      mi.put("runtimeProfile", ort.runtimeProfile(m.executionProvider()).values());
      models.add(mi);
    }
    extra.put("models", models);
    // What receipts of this service sign as runtimeProfileHash: the canonical profile and its keccak256.
    var profile = ort.runtimeProfile(s.modelInfos().stream().map(ModelInfo::executionProvider).toList());
    extra.put("runtimeProfile", Map.of("profile", profile.values(), "canonical", profile.canonicalJson(),
        "hash", profile.hash().toString()));
    // The same x402 offer a 402 would carry, so clients know the terms before the first call.
    gate.ifPresent(g -> extra.put("payment", X402Codec.toJson(g.offer(s))));
    return ModelMetadataEncoder.encode(d, extra);
  }

  static LoadedService service(PluginHost plugins, RoutingContext ctx) {
    String name = ctx.pathParam("model");
    LoadedService s = plugins.catalog().find(name).orElseThrow(() -> HealthRoutes.unknown(name));
    String version = ctx.pathParam("version");
    if (version != null && !version.equals(s.descriptor().version())) {
      throw new NotFoundException("model '" + name + "' has no version '" + version + "'; this node serves version "
          + s.descriptor().version());
    }
    return s;
  }
}
