package io.infergate.host.ipfs.fetch;

import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.car.CarLimits;
import io.infergate.host.ipfs.cid.Cid;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

/**
 * An IPFS trustless gateway (another Infergate node, a public gateway, a Helia node):
 * {@code GET <base>/ipfs/<cid>?format=car&dag-scope=all} with {@code Accept: application/vnd.ipld.car} for a
 * whole DAG, {@code GET <base>/ipfs/<cid>?format=raw} with {@code Accept: application/vnd.ipld.raw} for one block.
 */
public final class TrustlessGatewaySource implements RawBlockSource {
  private final Vertx vertx;
  private final WebClient client;
  private final String base;
  private final CarLimits limits;
  private final long idleTimeoutMs;

  private TrustlessGatewaySource(Vertx vertx, WebClient client, String base, CarLimits limits, long idleTimeoutMs) {
    this.vertx = vertx;
    this.client = client;
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.limits = limits;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  /**
   * @param base e.g. {@code http://127.0.0.1:8080} (the {@code /ipfs/} path is added)
   * @param idleTimeoutMs fail when the gateway sends nothing for this long
   */
  public static TrustlessGatewaySource create(Vertx vertx, WebClient client, String base, CarLimits limits, long idleTimeoutMs) {
    return new TrustlessGatewaySource(vertx, client, base, limits, idleTimeoutMs);
  }

  @Override
  public String name() {
    return "gateway " + base;
  }

  @Override
  public Future<Void> fetchInto(Cid root, BlockSink sink) {
    var request = client.getAbs(base + "/ipfs/" + root + "?format=car&dag-scope=all")
        .putHeader("Accept", "application/vnd.ipld.car; version=1; order=dfs; dups=n")
        .idleTimeout(idleTimeoutMs);
    return CarDownload.run(vertx, request, name(), root, sink, limits, true);
  }

  @Override
  public Future<Block> fetchBlock(Cid cid) {
    var request = client.getAbs(base + "/ipfs/" + cid + "?format=raw")
        .putHeader("Accept", "application/vnd.ipld.raw")
        .idleTimeout(idleTimeoutMs);
    return BlockResponse.fetch(request, name(), cid, limits.maxSectionSize(), true);
  }
}
