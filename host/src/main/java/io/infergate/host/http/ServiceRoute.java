package io.infergate.host.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.infergate.host.errors.BadRequestException;
import io.infergate.host.errors.NotFoundException;
import io.infergate.host.metrics.InferenceMetrics;
import io.infergate.host.payments.gate.PaidCall;
import io.infergate.host.plugins.LoadedService;
import io.infergate.host.plugins.PluginHost;
import io.infergate.plugin.api.JsonServiceAdapter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Map;

/**
 * {@code POST /v1/services/{service}}: a service's plain JSON API, as its plugin's {@link JsonServiceAdapter}
 * defines it. The body is parsed here; everything the plugin does runs on the service's workers.
 */
final class ServiceRoute implements Handler<RoutingContext> {
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private final PluginHost plugins;
  private final InferenceMetrics metrics;

  ServiceRoute(PluginHost plugins, InferenceMetrics metrics) {
    this.plugins = plugins;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String name = ctx.pathParam("service");
    LoadedService service = plugins.catalog().find(name).orElseThrow(() -> new NotFoundException(
        "no service named '" + name + "'; GET /v2/models lists the services of this node"));
    JsonServiceAdapter adapter = service.service().jsonAdapter().orElseThrow(() -> new NotFoundException(
        "service '" + name + "' has no JSON route; call it with POST /v2/models/" + name + "/infer"));
    Map<String, Object> body = parse(ctx.body().buffer());
    String requestId = RequestIds.next();
    ReceiptInputs receipt = ReceiptInputs.capture(ctx, name);
    var done = service.executor().submitJson(adapter, body, requestId)
        .thenApply(call -> new Answered(call.output(), Buffer.buffer(call.body()), ReceiptInputs.hashOf(receipt)));
    Future.fromCompletionStage(done, ctx.vertx().getOrCreateContext())
        .compose(a -> PaidCall.settle(ctx, a.output(), a.requestHash(), a.body()).map(payment -> {
          payment.forEach(ctx.response()::putHeader);
          return a;
        }))
        .onSuccess(a -> {
          metrics.success(name);
          ctx.response().putHeader("Content-Type", "application/json").end(a.body());
        })
        .onFailure(ctx::fail);
  }

  /** What the plugin answered: the output (charged), the exact body sent, the receipt's request hash or null. */
  private record Answered(io.infergate.plugin.api.InferenceOutput output, Buffer body,
      io.infergate.x402.crypto.Bytes32 requestHash) {}

  private static Map<String, Object> parse(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new BadRequestException("request body is empty; send a JSON object");
    }
    try {
      Map<String, Object> map = Json.MAPPER.readValue(body.getBytes(), OBJECT);
      if (map == null) {
        throw new BadRequestException("request body is JSON null; send a JSON object");
      }
      return map;
    } catch (JacksonException e) {
      throw new BadRequestException("request body is not a JSON object: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequestException("request body cannot be read: " + e.getMessage());
    }
  }
}
