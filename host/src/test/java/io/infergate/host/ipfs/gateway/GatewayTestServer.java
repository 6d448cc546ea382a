package io.infergate.host.ipfs.gateway;

import io.infergate.host.errors.InfergateException;
import io.infergate.host.ipfs.block.BlockSource;
import io.infergate.host.ipfs.unixfs.DagLimits;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * A real HTTP server on port 0 with the gateway mounted as the node mounts it, and a failure handler standing
 * in for the lead's ErrorResponder (same contract: InfergateException → status + {"error": message}).
 */
public final class GatewayTestServer implements AutoCloseable {
  private final HttpServer server;

  private GatewayTestServer(HttpServer server) {
    this.server = server;
  }

  public static GatewayTestServer start(Vertx vertx, BlockSource source) {
    Router router = Router.router(vertx);
    router.route("/ipfs/:cid").handler(TrustlessGatewayHandler.create(source, DagLimits.defaults()));
    router.route().failureHandler(ctx -> {
      Throwable f = ctx.failure();
      int status = f instanceof InfergateException ie ? ie.status() : 500;
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", f == null ? "status " + ctx.statusCode() : f.getMessage()).encode());
    });
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().join();
    return new GatewayTestServer(server);
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    server.close().toCompletionStage().toCompletableFuture().join();
  }
}
