package io.infergate.host.receipts.anchor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.host.leadership.LeaderStatus;
import io.infergate.x402.crypto.Address;
import java.util.List;
import java.util.Optional;

/**
 * Where anchoring stands, for {@code GET /admin/receipts/anchor}: the stream, the last receipt issued, batched and
 * committed, every open batch with its attempts and last error, a conflict if one stopped anchoring, and whether
 * this replica leads the anchoring ({@code leader}).
 */
public record AnchorStatus(Address anchor, long chainId, Address provider, Address signer, long lastSeq,
    long lastBatchedSeq, long lastCommittedSeq, List<OpenBatch> openBatches, Optional<String> lastError,
    Optional<String> conflict, Optional<String> lastRound, LeaderStatus leader) {

  /** A batch not yet committed. */
  public record OpenBatch(long id, long firstSeq, long lastSeq, String root, String status, String transaction,
      int attempts, String lastError, String retryAt) {}

  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("anchor", anchor.toChecksumString());
    o.put("chainId", chainId);
    o.put("provider", provider.toChecksumString());
    o.put("signer", signer.toChecksumString());
    o.put("lastSeq", lastSeq);
    o.put("lastBatchedSeq", lastBatchedSeq);
    o.put("lastCommittedSeq", lastCommittedSeq);
    o.put("pendingReceipts", Math.max(0, lastSeq - lastCommittedSeq));
    var open = o.putArray("openBatches");
    for (OpenBatch b : openBatches) {
      ObjectNode n = open.addObject();
      n.put("id", b.id());
      n.put("firstSeq", b.firstSeq());
      n.put("lastSeq", b.lastSeq());
      n.put("root", b.root());
      n.put("status", b.status());
      n.put("transaction", b.transaction());
      n.put("attempts", b.attempts());
      n.put("lastError", b.lastError());
      n.put("retryAt", b.retryAt());
    }
    o.put("lastError", lastError.orElse(null));
    o.put("conflict", conflict.orElse(null));
    o.put("lastRound", lastRound.orElse(null));
    o.set("leader", leader.toJson());
    return o;
  }
}
