package io.infergate.host.http;

import io.infergate.host.errors.BadRequestException;
import io.infergate.host.metrics.InferenceMetrics;
import io.infergate.host.plugins.PluginHost;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /v2/models/{m}/infer}: an OIP v2 inference call (JSON or binary tensor data). */
final class InferRoute implements Handler<RoutingContext> {
  private final PluginHost plugins;
  private final InferenceMetrics metrics;

  InferRoute(PluginHost plugins, InferenceMetrics metrics) {
    this.plugins = plugins;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    MetadataRoutes.service(plugins, ctx);
    throw new BadRequestException("OIP decoding is being integrated");
  }
}
