package io.infergate.host.http;

import io.infergate.host.config.HostConfig;
import io.infergate.host.ipfs.ContentNode;
import io.infergate.host.payments.PaymentsStatus;
import io.infergate.host.payments.gate.PaymentGate;
import io.infergate.host.receipts.ReceiptJournal;
import io.infergate.host.receipts.anchor.ReceiptAnchorer;
import java.util.Optional;
import io.infergate.host.metrics.InferenceMetrics;
import io.infergate.host.models.OrtRuntime;
import io.infergate.host.plugins.PluginHost;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Every route of the node, in one place.
 *
 * <pre>
 * free:  GET  /v2  /v2/health/live  /v2/health/ready  /v2/models  /v2/models/{m}[/versions/{v}][/ready]  /metrics
 *        GET|HEAD /ipfs/{cid} (trustless gateway)
 * admin (loopback only): /admin/content ... (see ContentRoutes)
 *        GET  /v1/receipts/{id}  /v1/receipts?channel=0x…&after=&lt;seq&gt;&limit=&lt;n&gt; (receipts, when on)
 *        GET  /v1/receipts/{id}/proof (inclusion proof once the receipt's root is on chain; 409 + Retry-After before)
 *        GET  /admin/receipts/anchor (loopback only: the anchorer's batches, errors, conflict)
 * paid:  POST /v2/models/{m}[/versions/{v}]/infer   POST /v1/services/{service}
 *        GET on the same paths: the 402 and x402 cooperative refunds only (the route is not run)
 * </pre>
 * Paid routes run: body limit → {@link PaymentGate} (when payments are on) → the call.
 */
public final class HttpApi {
  private final HostConfig config;
  private final PluginHost plugins;
  private final OrtRuntime ort;
  private final InferenceMetrics metrics;
  private final String hostVersion;
  private final Optional<PaymentGate> gate;
  private final Optional<PaymentsStatus> payments;
  private final BooleanSupplier serving;
  private final ContentNode content;
  private final Optional<ReceiptJournal> receipts;
  private final Optional<ReceiptAnchorer> anchorer;

  public HttpApi(HostConfig config, PluginHost plugins, OrtRuntime ort, ContentNode content, InferenceMetrics metrics,
      String hostVersion, Optional<PaymentGate> gate, Optional<PaymentsStatus> payments, BooleanSupplier serving) {
    this(config, plugins, ort, content, metrics, hostVersion, gate, payments, serving, Optional.empty());
  }

  /** @param receipts the receipt journal served by {@code /v1/receipts}; empty when receipts are off */
  public HttpApi(HostConfig config, PluginHost plugins, OrtRuntime ort, ContentNode content, InferenceMetrics metrics,
      String hostVersion, Optional<PaymentGate> gate, Optional<PaymentsStatus> payments, BooleanSupplier serving,
      Optional<ReceiptJournal> receipts) {
    this(config, plugins, ort, content, metrics, hostVersion, gate, payments, serving, receipts, Optional.empty());
  }

  /** @param anchorer the receipt anchorer serving {@code /v1/receipts/{id}/proof}; empty without a chain */
  public HttpApi(HostConfig config, PluginHost plugins, OrtRuntime ort, ContentNode content, InferenceMetrics metrics,
      String hostVersion, Optional<PaymentGate> gate, Optional<PaymentsStatus> payments, BooleanSupplier serving,
      Optional<ReceiptJournal> receipts, Optional<ReceiptAnchorer> anchorer) {
    this.anchorer = anchorer;
    this.receipts = receipts;
    this.payments = payments;
    this.content = content;
    this.gate = gate;
    this.config = config;
    this.plugins = plugins;
    this.ort = ort;
    this.metrics = metrics;
    this.hostVersion = hostVersion;
    this.serving = serving;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    ErrorResponder errors = new ErrorResponder(metrics, config.http().maxBodyBytes());
    HealthRoutes health = new HealthRoutes(plugins, serving, payments);
    MetadataRoutes metadata = new MetadataRoutes(plugins, ort, hostVersion, gate);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(config.http().maxBodyBytes());

    router.get("/v2").handler(metadata::server);
    router.get("/v2/health/live").handler(health::live);
    router.get("/v2/health/ready").handler(health::ready);
    router.get("/v2/models").handler(metadata::models);
    for (String base : List.of("/v2/models/:model", "/v2/models/:model/versions/:version")) {
      router.get(base).handler(metadata::model);
      router.get(base + "/ready").handler(health::modelReady);
      paid(router.post(base + "/infer"), body).handler(new InferRoute(plugins, metrics));
      refunds(router, base + "/infer");
    }
    paid(router.post("/v1/services/:service"), body).handler(new ServiceRoute(plugins, metrics));
    refunds(router, "/v1/services/:service");
    ReceiptRoutes receiptRoutes = new ReceiptRoutes(receipts);
    router.get("/v1/receipts").handler(receiptRoutes::list);
    router.get("/v1/receipts/:id").handler(receiptRoutes::one);
    ReceiptProofRoutes proofs = new ReceiptProofRoutes(anchorer);
    router.get("/v1/receipts/:id/proof").handler(proofs::proof);
    new ContentRoutes(content).mount(router, vertx);     // also guards /admin/* to loopback callers
    router.get("/admin/receipts/anchor").handler(proofs::status);
    payments.ifPresent(p -> router.get("/admin/payments").handler(ctx -> ctx.vertx().executeBlocking(p::report)
        .onSuccess(report -> Json.ok(ctx, report)).onFailure(ctx::fail)));
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));

    router.route().failureHandler(errors::handle);
    router.route().last().handler(ctx -> ctx.fail(404));
    return router;
  }

  /** GET on a paid route: the 402 and cooperative refunds (what the stock x402 client sends with GET). */
  private void refunds(Router router, String path) {
    gate.ifPresent(g -> router.get(path).handler(g.refundsOnly()));
  }

  private Route paid(Route route, BodyHandler body) {
    route.handler(body);
    gate.ifPresent(route::handler);
    return route;
  }
}
