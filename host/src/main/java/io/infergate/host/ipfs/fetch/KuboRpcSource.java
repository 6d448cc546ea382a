package io.infergate.host.ipfs.fetch;

import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.car.CarLimits;
import io.infergate.host.ipfs.cid.Cid;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

/**
 * A Kubo node's RPC API (default {@code http://127.0.0.1:5001}). Kubo accepts only POST on its RPC since
 * 0.5, so every call is a POST: {@code /api/v0/dag/export?arg=<cid>} streams the DAG as a CAR v1 (verified
 * here like any other), {@code /api/v0/block/get?arg=<cid>} returns one block's bytes.
 */
public final class KuboRpcSource implements RawBlockSource {
  private final Vertx vertx;
  private final WebClient client;
  private final String api;
  private final CarLimits limits;
  private final long idleTimeoutMs;

  private KuboRpcSource(Vertx vertx, WebClient client, String api, CarLimits limits, long idleTimeoutMs) {
    this.vertx = vertx;
    this.client = client;
    this.api = api.endsWith("/") ? api.substring(0, api.length() - 1) : api;
    this.limits = limits;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  /** @param api the RPC base, e.g. {@code http://127.0.0.1:5001} */
  public static KuboRpcSource create(Vertx vertx, WebClient client, String api, CarLimits limits, long idleTimeoutMs) {
    return new KuboRpcSource(vertx, client, api, limits, idleTimeoutMs);
  }

  @Override
  public String name() {
    return "kubo " + api;
  }

  @Override
  public Future<Void> fetchInto(Cid root, BlockSink sink) {
    var request = client.postAbs(api + "/api/v0/dag/export?arg=" + root + "&progress=false").idleTimeout(idleTimeoutMs);
    return CarDownload.run(vertx, request, name(), root, sink, limits, false);
  }

  /** One block, verified against {@code cid}. */
  public Future<Block> blockGet(Cid cid) {
    var request = client.postAbs(api + "/api/v0/block/get?arg=" + cid).idleTimeout(idleTimeoutMs);
    return BlockResponse.fetch(request, name(), cid, limits.maxSectionSize(), false);
  }

  @Override
  public Future<Block> fetchBlock(Cid cid) {
    return blockGet(cid);
  }
}
