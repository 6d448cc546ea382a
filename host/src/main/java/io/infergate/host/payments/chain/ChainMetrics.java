package io.infergate.host.payments.chain;

import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.LedgerTotals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meters of the chain side of payments (Prometheus names):
 * <ul>
 *   <li>{@code infergate_payments_unclaimed_amount{token}}: charged, not yet claimed on chain (at risk)</li>
 *   <li>{@code infergate_payments_claimed_amount{token}}, {@code infergate_payments_settled_amount{token}}</li>
 *   <li>{@code infergate_payments_claim_transactions_total{outcome}}: confirmed, reverted, dropped, failed</li>
 *   <li>{@code infergate_payments_claims_stuck}: claims whose transaction waited {@code replace-after} unmined, as
 *       of the last round; {@code infergate_payments_claim_replacements_total}: replacements broadcast</li>
 *   <li>{@code infergate_payments_transaction_replacements_total{kind}}: stuck deposits, refunds and settles
 *       replaced, while their sender waited or to unblock the key's nonces</li>
 *   <li>{@code infergate_payments_chain_watcher_head_lag_blocks}, {@code ..._processed_block}</li>
 * </ul>
 * Amounts are in the token's base units; a gauge is a double, exact up to 2^53 base units (9e9 USDC), which is
 * enough to watch; the admin endpoint reports the exact figures from {@link ChannelLedger#totals()}.
 */
public final class ChainMetrics {
  private final MeterRegistry registry;
  private final MultiGauge unclaimed;
  private final MultiGauge claimed;
  private final MultiGauge settled;
  private final AtomicInteger stuckClaims = new AtomicInteger();

  private ChainMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.unclaimed = MultiGauge.builder("infergate_payments_unclaimed_amount")
        .description("Charged to channels but not yet claimed on chain, per token (base units)").register(registry);
    this.claimed = MultiGauge.builder("infergate_payments_claimed_amount")
        .description("Claimed on chain, per token (base units)").register(registry);
    this.settled = MultiGauge.builder("infergate_payments_settled_amount")
        .description("Settled (paid out to the receiver), per token (base units)").register(registry);
    Gauge.builder("infergate_payments_claims_stuck", stuckClaims, AtomicInteger::get)
        .description("Claims whose transaction was still unmined after payments.claims.replace-after-ms,"
            + " as of the last claim round").register(registry);
  }

  public static ChainMetrics create(MeterRegistry registry) {
    return new ChainMetrics(Objects.requireNonNull(registry, "registry"));
  }

  /** Meters that go nowhere (tests, tools). */
  public static ChainMetrics none() {
    return new ChainMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Re-reads the per-token totals from the ledger (the claim scheduler calls it every round). */
  public void refreshTotals(ChannelLedger ledger) {
    List<LedgerTotals> totals = ledger.totals();
    unclaimed.register(totals.stream().map(t -> MultiGauge.Row.of(Tags.of("token", t.token()),
        t.unclaimed().doubleValue())).toList(), true);
    claimed.register(totals.stream().map(t -> MultiGauge.Row.of(Tags.of("token", t.token()),
        t.claimed().doubleValue())).toList(), true);
    settled.register(totals.stream().map(t -> MultiGauge.Row.of(Tags.of("token", t.token()),
        t.settled().doubleValue())).toList(), true);
  }

  /** Counts a claim transaction by how it ended. */
  public void claimTransaction(String outcome) {
    Counter.builder("infergate_payments_claim_transactions").tag("outcome", outcome)
        .description("Claim transactions by outcome").register(registry).increment();
  }

  /** A stuck claim transaction was replaced by one with a higher fee (same nonce). */
  public void claimReplaced() {
    Counter.builder("infergate_payments_claim_replacements")
        .description("Stuck claim transactions replaced with a higher fee (same nonce)").register(registry).increment();
  }

  /**
   * A stuck transaction that is not a claim was replaced by one with a higher fee (same nonce); {@code kind} is
   * deposit, refund or settle.
   */
  void transactionReplaced(TransactionSender.Kind kind) {
    Counter.builder("infergate_payments_transaction_replacements").tag("kind", kind.label())
        .description("Stuck deposit, refund and settle transactions replaced with a higher fee (same nonce)")
        .register(registry).increment();
  }

  /** How many claims the last round found stuck. */
  void claimsStuck(int count) {
    stuckClaims.set(count);
  }

  void watchWatcher(ChainWatcher watcher) {
    Gauge.builder("infergate_payments_chain_watcher_head_lag_blocks", watcher, ChainWatcher::headLag)
        .description("Blocks between the chain head and the last block mirrored into the ledger").register(registry);
    Gauge.builder("infergate_payments_chain_watcher_processed_block", watcher, ChainWatcher::processedBlock)
        .description("Last block whose events are mirrored into the ledger").register(registry);
  }
}
