package io.infergate.host.payments.ledger;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable state of x402 {@code batch-settlement} channels on this node (or on all replicas sharing one
 * database). Every method is one transaction: it happens completely or not at all, and a method that
 * returns has made its change durable.
 *
 * <p>How the payment gate uses it for one paid call:
 * <pre>{@code
 * ChannelLease lease = ledger.acquire(channelId, requestId, Duration.ofSeconds(30)); // or ChannelBusyException
 * try {
 *   ChannelState s = ledger.get(channelId).orElseThrow(...);
 *   // verify the voucher against s, run the handler, price the call
 *   ChargeResult r = ledger.recordCharge(lease, s.version(), s.chargedCumulativeAmount().add(price),
 *       voucher.maxClaimableAmount(), voucher.signature());
 *   // Committed -> answer; Refused -> nothing was charged
 * } finally {
 *   ledger.release(lease);
 * }
 * }</pre>
 *
 * <p>Ids and addresses are lower-case {@code 0x} hex (upper case input is accepted); amounts are exact
 * unsigned integers ({@code uint128}; {@code refundNonce} is a {@code uint256}).
 */
public interface ChannelLedger extends AutoCloseable {

  // ---- per-channel serialization

  /**
   * Takes the channel for {@code owner} for at most {@code ttl}. Never waits: if another owner holds an
   * unexpired lease it throws {@link ChannelBusyException} at once (the protocol's answer is
   * {@code channel_busy}; waiting would only hold an HTTP request and a thread). A crashed holder's lease
   * simply expires. The channel need not be in the ledger yet (a deposit is serialized the same way).
   */
  ChannelLease acquire(String channelId, String owner, Duration ttl);

  /**
   * {@link #acquire} and {@link #get} of the same channel in as few steps as the store can (PostgreSQL: one
   * transaction; SQLite: no SQL at all, the lease and the channel's last committed state are in memory): what the
   * gate does first for every paid call.
   */
  default Leased acquireAndGet(String channelId, String owner, Duration ttl) {
    ChannelLease lease = acquire(channelId, owner, ttl);
    return new Leased(lease, get(channelId));
  }

  /** A lease just taken and the channel as it stood then (empty if the ledger does not know it yet). */
  record Leased(ChannelLease lease, Optional<ChannelState> state) {}

  /** Extends a lease still held (for long calls); empty if it was lost to another owner. */
  Optional<ChannelLease> renew(ChannelLease lease, Duration ttl);

  /** Gives the channel up. Releasing a lease that was already taken over does nothing. */
  void release(ChannelLease lease);

  // ---- reads

  Optional<ChannelState> get(String channelId);

  // ---- the hot path

  /**
   * Commits a charge and the voucher that pays for it, durably, before returning, if and only if the
   * channel is still at {@code expectedVersion} and {@code lease} is still the channel's current lease.
   * Two callers that read the same version can never both commit: the second is refused with
   * {@link ChargeResult.Reason#STALE_VERSION}. A lease that expired but was not taken over still commits
   * (the work was done and nobody else touched the channel).
   *
   * @param newChargedCumulative the channel's new {@code chargedCumulativeAmount}, at least the current one
   * @param voucherMaxClaimable the accepted voucher's {@code maxClaimableAmount}, at least the new charge
   * @param signature the voucher's 65-byte signature
   */
  ChargeResult recordCharge(ChannelLease lease, long expectedVersion, BigInteger newChargedCumulative,
      BigInteger voucherMaxClaimable, byte[] signature);

  /**
   * {@link #recordCharge}, and when it commits, {@link #release} of {@code lease} in the same transaction: the
   * paid call's last ledger step, one commit instead of two (a refused charge keeps the lease, for the caller
   * to release).
   */
  ChargeResult recordChargeAndRelease(ChannelLease lease, long expectedVersion, BigInteger newChargedCumulative,
      BigInteger voucherMaxClaimable, byte[] signature);

  /**
   * {@link #recordChargeAndRelease}, with {@code hook} run inside the same transaction after the charge was
   * written: both commit, or neither does (the receipt journal writes the call's receipt this way).
   */
  ChargeResult recordChargeAndRelease(ChannelLease lease, long expectedVersion, BigInteger newChargedCumulative,
      BigInteger voucherMaxClaimable, byte[] signature, ChargeHook hook);

  /**
   * {@link #recordChargeAndRelease(ChannelLease, long, BigInteger, BigInteger, byte[], ChargeHook)}, returning as soon
   * as the transaction committed, before it is on disk: {@link ChargeResult.Committed#durable} completes when it
   * is. The commit already survives a crash of this process (SQLite WAL); the caller must not reveal the charge
   * (answer the call, send its receipt) before {@code durable} completed, and gets its thread back for other work
   * while the disk syncs. Stores that make commits durable as part of COMMIT return them already durable.
   */
  default ChargeResult recordChargeAndReleaseDeferred(ChannelLease lease, long expectedVersion,
      BigInteger newChargedCumulative, BigInteger voucherMaxClaimable, byte[] signature, ChargeHook hook) {
    return recordChargeAndRelease(lease, expectedVersion, newChargedCumulative, voucherMaxClaimable, signature, hook);
  }

  /** The database this ledger lives in, for components that keep their tables next to it. */
  LedgerDatabase database();

  /** Caches the address the channel's vouchers recover to, once the gate has checked it. */
  void cacheVoucherSigner(String channelId, String signer);

  // ---- the chain watcher

  /**
   * Records a channel seen on chain (or deposited through this node). Idempotent; a different config
   * under a known id is a bug upstream and throws {@link LedgerException}.
   */
  ChannelState upsertChannel(String channelId, ChannelConfig config);

  /**
   * Mirrors the channel's on-chain state as of {@code blockNumber}. Older blocks than the one already
   * mirrored are ignored, so replays and out-of-order delivery are harmless.
   *
   * @return true if the mirror changed
   */
  boolean applyChainState(String channelId, BigInteger balance, BigInteger totalClaimed,
      long withdrawRequestedAt, BigInteger refundNonce, long blockNumber);

  /** Mirrors {@code receivers(receiver, token)}; older blocks are ignored. */
  boolean applyReceiverState(String receiver, String token, BigInteger totalClaimed, BigInteger totalSettled,
      long blockNumber);

  // ---- the claim scheduler

  /**
   * Channels worth claiming now, most urgent first: those with a pending withdrawal by deadline, then by
   * unclaimed amount. A channel qualifies if it has no claim in flight and either its unclaimed amount is
   * at least {@code minUnclaimed} or its withdrawal deadline is before {@code dueBefore}.
   */
  List<ChannelState> claimable(BigInteger minUnclaimed, Instant dueBefore, int limit);

  /**
   * Marks the entries as claimed in transaction {@code txHash}, which becomes the claim's key and its first
   * transaction ({@link #claimTransactions}). Call it before broadcasting, so a crash after the broadcast still
   * finds the transaction. All or nothing: throws if one channel already has a claim in flight.
   */
  void markClaimSubmitted(List<ClaimSubmission> entries, String txHash);

  /**
   * Records {@code replacementTxHash}, the claim in flight under {@code claimTxHash} signed again with the same
   * nonce and a higher fee, as one more transaction that may carry the claim. Call it before broadcasting the
   * replacement, so that after a crash {@link #claimTransactions} still names every transaction that may land.
   * Throws {@link LedgerException} if no claim is in flight under {@code claimTxHash} (nothing is recorded then).
   */
  void markClaimReplaced(String claimTxHash, String replacementTxHash);

  /**
   * Every transaction that may carry the claim in flight under {@code claimTxHash} (the hash it was submitted
   * with): that original first, then its replacements in the order they were recorded. Only one of them can
   * land (they share a nonce). Empty when no claim is in flight under that hash.
   */
  List<String> claimTransactions(String claimTxHash);

  /**
   * The claim transaction landed; returns how many channels it covered. {@code txHash} is the claim's original
   * hash or any of its recorded replacements.
   */
  int markClaimConfirmed(String txHash);

  /**
   * The claim reverted, or none of its transactions is known to the chain any more; its channels become
   * claimable again. {@code txHash} is the claim's original hash or any of its recorded replacements.
   */
  int markClaimFailed(String txHash, String error);

  /** Channels with a claim transaction in flight (to check after a restart). */
  List<ChannelState> claimsInFlight();

  // ---- operators

  /** Totals per token, for metrics and the admin endpoint. */
  List<LedgerTotals> totals();

  @Override
  void close();
}
