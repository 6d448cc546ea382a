package io.infergate.host.ipfs.gateway;

import io.infergate.host.errors.BadRequestException;
import io.infergate.host.errors.NotFoundException;
import io.infergate.host.errors.ServiceFailedException;
import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.block.BlockSource;
import io.infergate.host.ipfs.block.BlockVerificationException;
import io.infergate.host.ipfs.car.CarExporter;
import io.infergate.host.ipfs.car.CarHeader;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.InvalidCidException;
import io.infergate.host.ipfs.cid.Varint;
import io.infergate.host.ipfs.unixfs.DagLimits;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET|HEAD /ipfs/:cid} per the trustless gateway spec, over any {@link BlockSource} (normally the
 * content store).
 * <ul>
 *   <li>Format from {@code ?format=raw|car} (wins) or the {@code Accept} header; neither is a 400, since this
 *       gateway never deserializes (strict trustless mode).</li>
 *   <li>{@code raw}: the block, hash-checked before it leaves. {@code car}: the DAG in depth-first order, each
 *       block once, each checked; {@code dag-scope=block} sends the root block only, {@code entity} and
 *       {@code all} the whole file. {@code entity-bytes} is refused (400) rather than answered with more
 *       blocks than asked.</li>
 *   <li>Root block absent: 404. A child missing mid-stream: the connection is closed, so the client sees an
 *       incomplete CAR, as the spec prescribes once 200 was sent.</li>
 *   <li>Immutable caching: {@code Cache-Control: public, max-age=29030400, immutable}, ETag
 *       {@code "<cid>.raw"} / {@code "<cid>.car"} ({@code "<cid>.car.block"} for the block scope),
 *       {@code If-None-Match} answered with 304.</li>
 * </ul>
 * Disk reads and hashing run on worker threads, never on the event loop.
 */
public final class TrustlessGatewayHandler implements Handler<RoutingContext> {
  public static final String RAW = "application/vnd.ipld.raw";
  public static final String CAR = "application/vnd.ipld.car";
  static final String CAR_RESPONSE_TYPE = CAR + "; version=1; order=dfs; dups=n";
  static final String CACHE_CONTROL = "public, max-age=29030400, immutable";
  private static final Logger LOG = LoggerFactory.getLogger(TrustlessGatewayHandler.class);

  private final BlockSource source;
  private final DagLimits limits;

  private TrustlessGatewayHandler(BlockSource source, DagLimits limits) {
    this.source = source;
    this.limits = limits;
  }

  /** Serves blocks of {@code source}; mount at {@code /ipfs/:cid}. */
  public static TrustlessGatewayHandler create(BlockSource source, DagLimits limits) {
    return new TrustlessGatewayHandler(source, limits);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Cid cid;
    String format;
    try {
      cid = Cid.parse(ctx.pathParam("cid"));
      format = format(ctx);
    } catch (InvalidCidException e) {
      ctx.fail(new BadRequestException("invalid CID in /ipfs/" + ctx.pathParam("cid") + ": " + e.getMessage()));
      return;
    } catch (BadRequestException e) {
      ctx.fail(e);
      return;
    }
    String scope = Optional.ofNullable(ctx.queryParams().get("dag-scope")).orElse("all");
    if (!List.of("all", "entity", "block").contains(scope)) {
      ctx.fail(new BadRequestException("dag-scope must be block, entity or all; got '" + scope + "'"));
      return;
    }
    if (ctx.queryParams().contains("entity-bytes")) {
      ctx.fail(new BadRequestException("entity-bytes is not supported by this gateway; request the whole file (dag-scope=entity)"));
      return;
    }
    String etag = "\"" + cid + (format.equals("raw") ? ".raw" : scope.equals("block") ? ".car.block" : ".car") + "\"";
    ctx.vertx().<Optional<byte[]>>executeBlocking(() -> source.get(cid), false).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(new ServiceFailedException("cannot read block " + cid + " from the content store", ar.cause()));
      } else if (ar.result().isEmpty()) {
        ctx.fail(new NotFoundException("this node does not hold " + cid + "; try another gateway or fetch it first"));
      } else if (!cid.verify(ar.result().get())) {
        ctx.fail(new ServiceFailedException("stored block " + cid + " is corrupt; the operator should run GC and fetch it again",
            new BlockVerificationException(cid, ar.result().get().length)));
      } else {
        respond(ctx, cid, format, scope, etag, ar.result().get());
      }
    });
  }

  private void respond(RoutingContext ctx, Cid cid, String format, String scope, String etag, byte[] rootBlock) {
    HttpServerResponse res = ctx.response()
        .putHeader("Cache-Control", CACHE_CONTROL)
        .putHeader("ETag", etag)
        .putHeader("X-Ipfs-Path", "/ipfs/" + cid)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Vary", "Accept")
        .putHeader("Content-Type", format.equals("raw") ? RAW : CAR_RESPONSE_TYPE)
        .putHeader("Content-Disposition", "attachment; filename=\"" + cid + (format.equals("raw") ? ".bin\"" : ".car\""));
    String inm = ctx.request().getHeader("If-None-Match");
    if (inm != null && (inm.equals(etag) || inm.equals("*"))) {
      res.setStatusCode(304).end();
      return;
    }
    if (format.equals("raw")) {
      res.putHeader("Content-Length", Integer.toString(rootBlock.length));
      if (ctx.request().method() == HttpMethod.HEAD) {
        res.end();
      } else {
        res.end(Buffer.buffer(rootBlock));
      }
      return;
    }
    if (ctx.request().method() == HttpMethod.HEAD) {
      res.end();
      return;
    }
    res.setChunked(true);
    if (scope.equals("block")) {
      res.write(header(cid));
      res.end(section(Block.verified(cid, rootBlock)));
      return;
    }
    streamCar(ctx, res, cid);
  }

  private void streamCar(RoutingContext ctx, HttpServerResponse res, Cid cid) {
    res.write(header(cid));
    BlockSink sink = block -> res.write(section(block)).toCompletionStage().toCompletableFuture().join();
    ctx.vertx().executeBlocking(() -> {
      CarExporter.create(limits).walk(cid, source, sink);
      return null;
    }, false).onComplete(ar -> {
      if (ar.succeeded()) {
        res.end();
      } else {
        // 200 is already on the wire: cut the stream so the client sees an incomplete CAR.
        LOG.warn("CAR stream of {} aborted: {}", cid, ar.cause().getMessage());
        res.reset();
      }
    });
  }

  private static Buffer header(Cid root) {
    byte[] h = CarHeader.v1(List.of(root)).encode();
    return Buffer.buffer(Varint.encode(h.length)).appendBytes(h);
  }

  private static Buffer section(Block b) {
    byte[] cid = b.cid().bytes();
    return Buffer.buffer(Varint.encode((long) cid.length + b.size())).appendBytes(cid).appendBytes(b.data());
  }

  /** {@code raw} or {@code car}, from {@code ?format=} (precedence) or {@code Accept}. */
  static String format(RoutingContext ctx) {
    String f = ctx.queryParams().get("format");
    if (f != null) {
      if (f.equals("raw") || f.equals("car")) {
        return f;
      }
      throw new BadRequestException("format=" + f + " is not served here; this trustless gateway serves format=raw and format=car");
    }
    String accept = Optional.ofNullable(ctx.request().getHeader("Accept")).orElse("");
    for (String part : accept.split(",")) {
      String type = part.split(";")[0].trim();
      if (type.equals(RAW)) {
        return "raw";
      }
      if (type.equals(CAR)) {
        return "car";
      }
    }
    throw new BadRequestException("this is a trustless gateway: ask for a verifiable response with ?format=raw or ?format=car "
        + "(or Accept: " + RAW + " / " + CAR + ")");
  }
}
