package io.infergate.host.http;

import io.infergate.host.metrics.InferenceMetrics;
import io.infergate.host.oip.EncodedResponse;
import io.infergate.host.payments.gate.PaidAdmission;
import io.infergate.host.payments.gate.PaidCall;
import io.infergate.host.oip.OipRequest;
import io.infergate.host.oip.OipRequestDecoder;
import io.infergate.host.oip.OipResponseEncoder;
import io.infergate.host.plugins.LoadedService;
import io.infergate.host.plugins.PluginHost;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

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
    PaidAdmission paid = PaidAdmission.of(ctx);
    // The payment's admission, the call, encoding and the charge all run on one service worker: no hops between.
    var call = paid == null ? service.executor().submit(request.input(), requestId)
        : OnWorker.onFailure(ctx.vertx(), service.executor().submit(request.input(), requestId,
            paid::admitOnThisThread), paid::release);
    var done = OnWorker.then(ctx.vertx(), call, output -> {
      EncodedResponse encoded = encoder.encode(request, output);
      PaidCall.Charged payment = paid == null ? PaidCall.Charged.FREE
          : paid.call().commitOnThisThread(output, ReceiptInputs.hashOf(receipt), encoded.body());
      return new Answered(encoded, payment);
    });
    // A paid answer leaves once its charge is on disk; the worker is already running the next call.
    Future.fromCompletionStage(done.thenCompose(a -> a.payment().durable().thenApply(v -> a)),
            ctx.vertx().getOrCreateContext())
        .onSuccess(a -> {
          HttpServerResponse response = ctx.response();
          a.payment().headers().forEach(response::putHeader);
          a.encoded().headers().forEach(response::putHeader);
          metrics.success(service.name());
          response.end(a.encoded().body());
            })
        .onFailure(ctx::fail);
  }

  /** The encoded answer (what is sent, and what the receipt's responseHash covers) and the payment headers. */
  private record Answered(EncodedResponse encoded, PaidCall.Charged payment) {
  }
}
