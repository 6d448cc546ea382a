package io.infergate.host.http;

import io.infergate.host.plugins.LoadedService;
import io.infergate.host.plugins.PluginHost;
import io.infergate.host.errors.NotFoundException;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import io.infergate.host.payments.PaymentsStatus;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * OIP health: {@code /v2/health/live}, {@code /v2/health/ready} and {@code /v2/models/{m}/ready}; 200 when
 * true, 503 when not, always with the OIP JSON body, so both Kubernetes probes and OIP clients understand.
 */
final class HealthRoutes {
  private final PluginHost plugins;
  private final BooleanSupplier serving;
  private final Optional<PaymentsStatus> payments;

  HealthRoutes(PluginHost plugins, BooleanSupplier serving, Optional<PaymentsStatus> payments) {
    this.plugins = plugins;
    this.serving = serving;
    this.payments = payments;
  }

  void live(RoutingContext ctx) {
    Json.ok(ctx, Map.of("live", true));
  }

  /**
   * Ready while serving. A node whose chain is unreachable stays ready (it still serves known channels
   * within their mirrored balance) but says so under {@code payments}.
   */
  void ready(RoutingContext ctx) {
    boolean ready = serving.getAsBoolean();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ready", ready);
    payments.ifPresent(p -> body.put("payments", p.chain()));
    Json.send(ctx, ready ? 200 : 503, body);
  }

  void modelReady(RoutingContext ctx) {
    LoadedService s = MetadataRoutes.service(plugins, ctx);
    boolean ready = serving.getAsBoolean();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", s.name());
    body.put("ready", ready);
    Json.send(ctx, ready ? 200 : 503, body);
  }

  static NotFoundException unknown(String name) {
    return new NotFoundException("no model named '" + name + "'; GET /v2/models lists the models of this node");
  }
}
