package io.infergate.client.receipts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.crypto.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@link ReceiptAudit} found: per channel, its checks; plus the log-wide checks (signer sequence numbers,
 * equivocation).
 *
 * @param channels the checks of each audited channel, in the log's order
 * @param global the checks across channels
 */
public record AuditReport(Map<Bytes32, List<Check>> channels, List<Check> global) {
  public AuditReport {
    channels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(channels));
    global = List.copyOf(global);
  }

  /** Every check, channels first. */
  public List<Check> all() {
    List<Check> out = new ArrayList<>();
    channels.values().forEach(out::addAll);
    out.addAll(global);
    return out;
  }

  /** True when no check failed. */
  public boolean ok() {
    return all().stream().noneMatch(c -> c.status() == CheckStatus.FAIL);
  }

  public List<Check> failures() {
    return all().stream().filter(c -> c.status() == CheckStatus.FAIL).toList();
  }

  /** Exit code for the CLI: 0 no failure, 1 a failure. */
  public int exitCode() {
    return ok() ? 0 : 1;
  }

  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("verdict", ok() ? "ok" : "failed");
    ArrayNode chs = o.putArray("channels");
    channels.forEach((id, checks) -> {
      ObjectNode c = chs.addObject();
      c.put("channelId", id.toString());
      ArrayNode a = c.putArray("checks");
      checks.forEach(k -> a.add(k.toJson()));
    });
    ArrayNode g = o.putArray("checks");
    global.forEach(k -> g.add(k.toJson()));
    return o;
  }

  public String toText() {
    StringBuilder b = new StringBuilder();
    channels.forEach((id, checks) -> {
      b.append("channel ").append(id).append('\n');
      checks.forEach(c -> b.append("  ").append(c).append('\n'));
    });
    b.append("all channels\n");
    global.forEach(c -> b.append("  ").append(c).append('\n'));
    b.append("verdict: ").append(ok() ? "ok" : "failed");
    return b.toString();
  }
}
