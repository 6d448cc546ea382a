package io.infergate.host.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.infergate.host.errors.BadRequestException;
import io.infergate.host.errors.NotFoundException;
import io.infergate.host.metrics.InferenceMetrics;
import io.infergate.host.payments.gate.PaidAdmission;
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
    PaidAdmission paid = PaidAdmission.of(ctx);
    // The payment's admission, the call and the charge all run on one service worker: no hops between.
    var running = paid == null ? service.executor().submitJson(adapter, body, requestId)
        : OnWorker.onFailure(ctx.vertx(), service.executor().submitJson(adapter, body, requestId,
            paid::admitOnThisThread), paid::release);
    var done = OnWorker.then(ctx.vertx(), running, call -> {
      Buffer sent = Buffer.buffer(call.body());
      PaidCall.Charged payment = paid == null ? PaidCall.Charged.FREE
          : paid.call().commitOnThisThread(call.output(), ReceiptInputs.hashOf(receipt), sent);
      return new Answered(sent, payment);
    });
    // A paid answer leaves once its charge is on disk; the worker is already running the next call.
    Future.fromCompletionStage(done.thenCompose(a -> a.payment().durable().thenApply(v -> a)),
            ctx.vertx().getOrCreateContext())
        .onSuccess(a -> {
          a.payment().headers().forEach(ctx.response()::putHeader);
          metrics.success(name);
          ctx.response().putHeader("Content-Type", "application/json").end(a.body());
        })
        .onFailure(ctx::fail);
  }

  /** The exact body sent (what the receipt's responseHash covers) and the payment headers. */
  private record Answered(Buffer body, PaidCall.Charged payment) {}

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
