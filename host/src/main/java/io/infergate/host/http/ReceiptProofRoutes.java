package io.infergate.host.http;

import io.infergate.host.errors.NotFoundException;
import io.infergate.host.receipts.anchor.ReceiptAnchorer;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code GET /v1/receipts/{id}/proof} (free): the receipt's inclusion proof once its Merkle root is on chain
 * ({@link io.infergate.x402.receipt.ReceiptProof#toJson()}); 409 with {@code Retry-After} and code
 * {@code receipt_not_anchored} before that; 404 for an unknown id. {@code GET /admin/receipts/anchor}
 * (loopback only): the anchorer's status. Reads run on a worker, never on the event loop.
 */
final class ReceiptProofRoutes {
  private final Optional<ReceiptAnchorer> anchorer;

  ReceiptProofRoutes(Optional<ReceiptAnchorer> anchorer) {
    this.anchorer = anchorer;
  }

  void proof(RoutingContext ctx) {
    ReceiptAnchorer a = anchorer();
    String id = ctx.pathParam("id");
    ctx.vertx().executeBlocking(() -> a.proofs().proof(id))
        .onSuccess(p -> Json.ok(ctx, p.toJson()))
        .onFailure(ctx::fail);
  }

  void status(RoutingContext ctx) {
    ReceiptAnchorer a = anchorer();
    ctx.vertx().executeBlocking(() -> a.status().toJson())
        .onSuccess(s -> Json.ok(ctx, s))
        .onFailure(ctx::fail);
  }

  private ReceiptAnchorer anchorer() {
    return anchorer.orElseThrow(() -> new NotFoundException("this node does not anchor receipts, so it serves no"
        + " proofs: anchoring needs payments.enabled, receipts on (receipts.anchor and the receipt key) and a chain"
        + " (payments.rpc-url)"));
  }
}
