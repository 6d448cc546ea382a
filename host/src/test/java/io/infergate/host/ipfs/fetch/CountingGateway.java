package io.infergate.host.ipfs.fetch;

import io.infergate.host.ipfs.block.BlockSource;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.gateway.TrustlessGatewayHandler;
import io.infergate.host.ipfs.unixfs.DagLimits;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The node's real trustless gateway over a block source, on a real port, with every request recorded and an
 * optional fault in front of it (a test decides per request whether to answer itself or let the gateway).
 * Handlers run on one event loop, so the request log needs no more than the monitor.
 */
final class CountingGateway implements AutoCloseable {
  /** One request: the CID asked for and its format ({@code raw} or {@code car}). */
  record Request(Cid cid, String format) {}

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();

  private CountingGateway(Vertx vertx, BlockSource source, BiPredicate<RoutingContext, Request> fault) {
    Router router = Router.router(vertx);
    router.route("/ipfs/:cid").handler(ctx -> {
      String format = ctx.queryParams().contains("format") ? ctx.queryParams().get("format") : "?";
      Request r = new Request(Cid.parse(ctx.pathParam("cid")), format);
      synchronized (this) {
        requests.add(r);
      }
      if (!fault.test(ctx, r)) {
        ctx.next();
      }
    });
    router.route("/ipfs/:cid").handler(TrustlessGatewayHandler.create(source, DagLimits.defaults()));
    router.route().failureHandler(ctx -> ctx.response().setStatusCode(ctx.statusCode() < 0 ? 500 : ctx.statusCode()).end());
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().join();
  }

  /** @param fault answers the request itself and returns true, or returns false to let the gateway answer */
  static CountingGateway start(Vertx vertx, BlockSource source, BiPredicate<RoutingContext, Request> fault) {
    return new CountingGateway(vertx, source, fault);
  }

  static CountingGateway honest(Vertx vertx, BlockSource source) {
    return start(vertx, source, (ctx, r) -> false);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  synchronized List<Cid> requested(String format) {
    return requests.stream().filter(r -> r.format().equals(format)).map(Request::cid).toList();
  }

  @Override
  public void close() {
    server.close().toCompletionStage().toCompletableFuture().join();
  }
}
