package io.infergate.host.payments;

import io.infergate.host.payments.chain.ChainConnection;
import io.infergate.host.payments.chain.ChainWatcher;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.LedgerTotals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an operator asks about payments: money per token (charged, unclaimed, claimed, settled, exact
 * decimal strings, from the ledger) and the chain connection (last mirrored block, lag, last error). A node
 * whose chain is unreachable keeps serving known channels within their mirrored balance and refuses
 * deposits; readiness says so instead of going down. The report also says whether this replica leads the claims
 * ({@code claimsLeader}).
 */
public final class PaymentsStatus {
  private final ChannelLedger ledger;
  private final Optional<ChainConnection> chain;

  public PaymentsStatus(ChannelLedger ledger, Optional<ChainConnection> chain) {
    this.ledger = ledger;
    this.chain = chain;
  }

  /** The chain connection's state, for readiness: {@code {"chain": "ok"|"unreachable: ..."|"none", ...}}. */
  public Map<String, Object> chain() {
    Map<String, Object> out = new LinkedHashMap<>();
    if (chain.isEmpty()) {
      out.put("chain", "none");
      return out;
    }
    ChainWatcher w = chain.get().watcher();
    out.put("chain", w.lastError().map(e -> "unreachable: " + e).orElse("ok"));
    out.put("processedBlock", w.processedBlock());
    out.put("headLag", w.headLag());
    return out;
  }

  /**
   * Totals per token plus the chain state and the claims leadership: the body of {@code GET /admin/payments}.
   * Blocking (JDBC).
   */
  public Map<String, Object> report() {
    List<Map<String, Object>> tokens = new ArrayList<>();
    for (LedgerTotals t : ledger.totals()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("token", t.token());
      m.put("channels", t.channels());
      m.put("charged", t.charged().toString());
      m.put("unclaimed", t.unclaimed().toString());
      m.put("claimed", t.claimed().toString());
      m.put("settled", t.settled().toString());
      tokens.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tokens", tokens);
    out.putAll(chain());
    chain.ifPresent(c -> out.put("claimsLeader", c.claims().leadership().status().toJson()));
    return out;
  }
}
