package io.infergate.host.http;

import io.infergate.host.errors.BadRequestException;
import io.infergate.host.errors.ForbiddenException;
import io.infergate.host.errors.NotFoundException;
import io.infergate.host.ipfs.ContentException;
import io.infergate.host.ipfs.ContentNode;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.gateway.TrustlessGatewayHandler;
import io.infergate.host.ipfs.store.GcResult;
import io.infergate.host.ipfs.store.StoredContent;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Content routes. {@code GET|HEAD /ipfs/{cid}} is the node's trustless gateway (free, for anyone: every
 * byte is verifiable by its CID). The admin routes manage the store and are answered only to loopback
 * callers: {@code GET /admin/content} lists, {@code POST /admin/content?root=<cid>} imports a CAR (every
 * block verified) and pins it, {@code DELETE /admin/content/{cid}} unpins, {@code POST /admin/content/gc}
 * collects garbage.
 */
final class ContentRoutes {
  private final ContentNode content;

  ContentRoutes(ContentNode content) {
    this.content = content;
  }

  void mount(Router router, Vertx vertx) {
    TrustlessGatewayHandler gateway = TrustlessGatewayHandler.create(content.store(), content.store().options().dagLimits());
    router.get("/ipfs/:cid").handler(gateway);
    router.head("/ipfs/:cid").handler(gateway);
    router.route("/admin/*").handler(this::loopbackOnly);
    router.get("/admin/content").handler(this::list);
    router.post("/admin/content").handler(ctx -> importCar(ctx, vertx));
    router.delete("/admin/content/:cid").handler(this::unpin);
    router.post("/admin/content/gc").handler(this::gc);
  }

  private void loopbackOnly(RoutingContext ctx) {
    String host = ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().host();
    boolean loopback;
    try {
      loopback = InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      loopback = false;
    }
    if (!loopback) {
      throw new ForbiddenException("admin routes answer only on the node's own machine (loopback); run the command there");
    }
    ctx.next();
  }

  private void list(RoutingContext ctx) {
    ctx.vertx().<List<Map<String, Object>>>executeBlocking(() -> {
      List<Map<String, Object>> out = new ArrayList<>();
      for (StoredContent c : content.store().list()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cid", c.cid().toString());
        m.put("size", c.size());
        m.put("pinned", c.pinned());
        m.put("inUse", c.inUse());
        out.add(m);
      }
      return out;
    }).onSuccess(list -> Json.ok(ctx, Map.of("content", list, "usedBytes", content.store().usedBytes())))
        .onFailure(ctx::fail);
  }

  private void importCar(RoutingContext ctx, Vertx vertx) {
    Cid root = cid(ctx.queryParams().get("root"));
    ctx.request().pause();   // hold the body until the file it streams into is open
    Path tmp;
    try {
      tmp = Files.createTempFile("infergate-upload-", ".car");
    } catch (java.io.IOException e) {
      ctx.fail(e);
      return;
    }
    // Stream the CAR to disk: it may be far larger than any request body we would hold in memory.
    vertx.fileSystem().open(tmp.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
        .compose(file -> ctx.request().pipeTo(file))
        .compose(v -> vertx.executeBlocking(() -> {
          try (InputStream in = Files.newInputStream(tmp)) {
            content.store().importCar(in, root);
            content.store().pin(root);
            return Map.<String, Object>of("cid", root.toString(), "pinned", true);
          } finally {
            Files.deleteIfExists(tmp);
          }
        }))
        .onSuccess(body -> Json.ok(ctx, body))
        .onFailure(e -> ctx.fail(e instanceof ContentException ce ? new BadRequestException(ce.getMessage()) : e));
  }

  private void unpin(RoutingContext ctx) {
    Cid cid = cid(ctx.pathParam("cid"));
    ctx.vertx().executeBlocking(() -> content.store().unpin(cid))
        .onSuccess(was -> {
          if (!was) {
            ctx.fail(new NotFoundException(cid + " is not pinned"));
          } else {
            Json.ok(ctx, Map.of("cid", cid.toString(), "pinned", false));
          }
        }).onFailure(ctx::fail);
  }

  private void gc(RoutingContext ctx) {
    ctx.vertx().<GcResult>executeBlocking(() -> content.store().gc())
        .onSuccess(r -> Json.ok(ctx, Map.of("removedFiles", r.removedFiles(), "removedBlocks", r.removedBlocks(),
            "freedBytes", r.freedBytes())))
        .onFailure(ctx::fail);
  }

  private static Cid cid(String text) {
    if (text == null || text.isBlank()) {
      throw new BadRequestException("give the content's root CID (?root=<cid>)");
    }
    try {
      return Cid.parse(text);
    } catch (ContentException e) {
      throw new BadRequestException("'" + text + "' is not a CID: " + e.getMessage());
    }
  }
}
