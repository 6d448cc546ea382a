package io.infergate.host.http;

import io.infergate.host.metrics.InferenceMetrics;
import io.infergate.host.oip.EncodedResponse;
import io.infergate.host.payments.gate.PaidCall;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.host.oip.OipRequest;
import io.infergate.host.oip.OipRequestDecoder;
import io.infergate.host.oip.OipResponseEncoder;
import io.infergate.host.plugins.LoadedService;
import io.infergate.host.plugins.PluginHost;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v2/models/{m}[/versions/{v}]/infer}: an OIP v2 call, JSON or binary tensor data. The body is
 * decoded and checked against the service's declared inputs here (host code, linear in the body size);
 * the service runs on its workers, and the response is encoded on the worker that finished the call.
 */
final class InferRoute implements Handler<RoutingContext> {
  private final PluginHost plugins;
  private final InferenceMetrics metrics;

  InferRoute(PluginHost plugins, InferenceMetrics metrics) {
    this.plugins = plugins;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    LoadedService service = MetadataRoutes.service(plugins, ctx);
    OipRequest request = OipRequestDecoder.create(service.descriptor())
        .decode(ctx.body().buffer(), ctx.request().getHeader(OipRequestDecoder.HEADER_LENGTH));
    String requestId = request.id().orElseGet(RequestIds::next);
    OipResponseEncoder encoder = OipResponseEncoder.create(service.descriptor());
    ReceiptInputs receipt = ReceiptInputs.capture(ctx, service.name());
    var done = service.executor().submit(request.input(), requestId)
        .thenApply(output -> new Answered(output, encoder.encode(request, output), ReceiptInputs.hashOf(receipt)));
    Future.fromCompletionStage(done, ctx.vertx().getOrCreateContext())
        .compose(a -> PaidCall.settle(ctx, a.output(), a.requestHash(), a.encoded().body()).map(payment -> {
          HttpServerResponse response = ctx.response();
          payment.forEach(response::putHeader);
          a.encoded().headers().forEach(response::putHeader);
          return a.encoded();
        }))
        .onSuccess(r -> {
          metrics.success(service.name());
          ctx.response().end(r.body());
        })
        .onFailure(ctx::fail);
  }

  /**
   * The service's output (what is charged), its encoding (what is sent, and what the receipt's responseHash
   * covers) and the receipt's request hash (null without a receipt).
   */
  private record Answered(InferenceOutput output, EncodedResponse encoded, io.infergate.x402.crypto.Bytes32 requestHash) {
  }
}
