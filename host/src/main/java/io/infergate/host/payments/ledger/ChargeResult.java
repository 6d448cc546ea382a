package io.infergate.host.payments.ledger;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What {@link ChannelLedger#recordCharge} did: committed durably, or refused without any change. */
public sealed interface ChargeResult {

  /**
   * The charge and voucher are committed; {@code state} is the channel after it. {@code durable} completes once
   * the commit is on disk: at once from {@link ChannelLedger#recordCharge} and the other synchronous methods
   * (they return only then), later from {@link ChannelLedger#recordChargeAndReleaseDeferred}. It fails if the
   * disk refused the fsync.
   */
  record Committed(ChannelState state, CompletionStage<Void> durable) implements ChargeResult {
    private static final CompletionStage<Void> NOW = CompletableFuture.completedStage(null);

    /** A charge already durable. */
    public Committed(ChannelState state) {
      this(state, NOW);
    }
  }

  /**
   * Nothing was written. {@code current} is the channel as it is now (empty if unknown), so the gate can
   * answer with a corrective 402 or retry with the fresh version.
   */
  record Refused(Reason reason, Optional<ChannelState> current) implements ChargeResult {}

  /** Why a charge was refused. */
  enum Reason {
    /** No such channel in the ledger. */
    CHANNEL_NOT_FOUND,
    /** The channel changed since the caller read it (another charge or new chain state). */
    STALE_VERSION,
    /** The lease was taken over by another owner (or never existed): the caller no longer owns the channel. */
    LEASE_LOST,
    /** The new cumulative charge is below the one already committed. */
    CUMULATIVE_DECREASED,
    /** The new cumulative charge exceeds the voucher's signed maximum. */
    CHARGE_EXCEEDS_VOUCHER
  }

  default boolean committed() {
    return this instanceof Committed;
  }
}
