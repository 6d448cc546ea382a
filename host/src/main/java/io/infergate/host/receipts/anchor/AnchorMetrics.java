package io.infergate.host.receipts.anchor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Meters of receipt anchoring (Prometheus names):
 * <ul>
 *   <li>{@code infergate_receipts_anchored_total}: receipts whose root is committed on chain</li>
 *   <li>{@code infergate_receipt_anchor_batches_total{outcome}}: committed (by this node's transaction) or
 *       reconciled (found already on chain after a crash)</li>
 *   <li>{@code infergate_receipt_anchor_failures_total{reason}}: rpc, reverted, not_receipt_signer, dropped,
 *       conflict</li>
 *   <li>{@code infergate_receipt_anchor_gas_used_total}: gas of the commit transactions</li>
 *   <li>{@code infergate_receipt_anchor_replacements_total}: commits replaced (same nonce, higher fees) after sitting
 *       unmined {@code payments.claims.replace-after-ms}</li>
 *   <li>{@code infergate_receipt_anchor_pending}: receipts issued and not yet committed (proofs not available)</li>
 *   <li>{@code infergate_receipt_anchor_open_batches}: batches prepared or submitted, not yet committed</li>
 *   <li>{@code infergate_receipt_anchor_last_committed_seq}: the last receipt {@code seq} covered on chain (-1: none)</li>
 *   <li>{@code infergate_receipt_anchor_conflict}: 1 when the chain holds a different root for a range of this
 *       node's receipts (anchoring is stopped until an operator looks; see the admin status)</li>
 * </ul>
 */
public final class AnchorMetrics {
  private final MeterRegistry registry;
  private final Counter anchored;
  private final Counter gas;
  private final Counter replacements;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong openBatches = new AtomicLong();
  private final AtomicLong lastCommittedSeq = new AtomicLong(-1);
  private final AtomicLong conflict = new AtomicLong();

  private AnchorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.anchored = Counter.builder("infergate_receipts_anchored")
        .description("Receipts whose Merkle root is committed on chain").register(registry);
    this.gas = Counter.builder("infergate_receipt_anchor_gas_used")
        .description("Gas used by receipt root commit transactions").register(registry);
    this.replacements = Counter.builder("infergate_receipt_anchor_replacements")
        .description("Receipt root commits replaced (same nonce, higher fees) after sitting unmined")
        .register(registry);
    Gauge.builder("infergate_receipt_anchor_pending", pending, AtomicLong::get)
        .description("Receipts issued but not yet committed on chain").register(registry);
    Gauge.builder("infergate_receipt_anchor_open_batches", openBatches, AtomicLong::get)
        .description("Receipt batches prepared or submitted, not yet committed").register(registry);
    Gauge.builder("infergate_receipt_anchor_last_committed_seq", lastCommittedSeq, AtomicLong::get)
        .description("Last receipt seq covered by a committed root (-1: none)").register(registry);
    Gauge.builder("infergate_receipt_anchor_conflict", conflict, AtomicLong::get)
        .description("1 when the chain holds a different root for this node's receipts; anchoring is stopped")
        .register(registry);
  }

  public static AnchorMetrics create(MeterRegistry registry) {
    return new AnchorMetrics(Objects.requireNonNull(registry, "registry"));
  }

  /** Meters that go nowhere (tests, tools). */
  public static AnchorMetrics none() {
    return new AnchorMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  void committed(String outcome, long receipts, long gasUsed) {
    Counter.builder("infergate_receipt_anchor_batches").tag("outcome", outcome)
        .description("Receipt batches committed on chain, by how").register(registry).increment();
    anchored.increment(receipts);
    gas.increment(gasUsed);
  }

  void failure(String reason) {
    Counter.builder("infergate_receipt_anchor_failures").tag("reason", reason)
        .description("Failed receipt anchoring attempts, by reason").register(registry).increment();
  }

  void state(long pendingReceipts, long open, long lastCommitted, boolean conflicted) {
    pending.set(pendingReceipts);
    openBatches.set(open);
    lastCommittedSeq.set(lastCommitted);
    conflict.set(conflicted ? 1 : 0);
  }

  void replaced() {
    replacements.increment();
  }

  /** Commits replaced so far. */
  public double replacements() {
    return replacements.count();
  }

  /** Receipts whose root is committed, as counted by this process. */
  public double anchored() {
    return anchored.count();
  }

  /** Failed attempts with {@code reason}, as counted by this process. */
  public double failures(String reason) {
    Counter c = registry.find("infergate_receipt_anchor_failures").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  public long pending() {
    return pending.get();
  }
}
