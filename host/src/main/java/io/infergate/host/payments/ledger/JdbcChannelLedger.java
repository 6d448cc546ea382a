package io.infergate.host.payments.ledger;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/*
 * Design notes (the SQL shared by SQLite and PostgreSQL).
 *
 * Safety: a charge commits only through one UPDATE guarded by `version = expectedVersion`, inside a
 * transaction that has locked the channel row (PostgreSQL `SELECT ... FOR UPDATE`; SQLite `BEGIN
 * IMMEDIATE`, which takes the database's single write lock). Every commit bumps `version`, so of two
 * callers that read version v, exactly one commits; the other sees STALE_VERSION. This holds across
 * threads, ledger instances, processes and replicas, and does not depend on clocks or leases.
 *
 * Leases (ChannelLeases; where they live is the store's choice). PostgreSQL (SqlChannelLeases): a row per
 * channel in ledger_leases (channel_id, owner, fencing_token, expires_at_ms). Acquire is one atomic upsert that
 * succeeds only if the row is absent or expired, and bumps fencing_token; it never waits (busy is answered at
 * once). Release sets expires_at_ms = 0 but keeps the row, so tokens only ever grow. A crashed holder never
 * releases: its lease expires by itself. Expiry is judged by the acquiring ledger's Clock; replica clock skew
 * can only make a takeover early or late, never unsafe, because of fencing (below). SQLite
 * (InMemoryChannelLeases): one process owns the file (LedgerFileLock), so the same leases live in its memory and
 * cost no SQL; a crashed process's leases die with it. ledger_leases stays in the SQLite schema, unused.
 *
 * Fencing: a charge checks, inside its transaction and before it writes, that the lease's fencing token is still
 * the channel's (SQL leases lock the lease row for it), and the lease cannot be taken over until the transaction
 * ended. A holder that stalled past expiry and was taken over is refused (LEASE_LOST) even if it read the newest
 * version. A holder whose lease expired without a takeover still commits: nobody else touched the channel.
 *
 * Channel reads in a charge: channelForCharge. PostgreSQL reads and locks the row; SQLite answers from the
 * states it committed last (ChannelStateCache, kept by SqliteChannelLedger.writeCharge), and the UPDATE's
 * `version = expectedVersion` guard still decides; if it matches no row, the row is re-read and the charge
 * refused with it.
 *
 * Lock order (PostgreSQL): lease row, then channel row. Multi-channel updates (claims) touch channel rows
 * only, in channel-id order, so transactions cannot deadlock each other.
 *
 * Amounts: exact. PostgreSQL NUMERIC(39,0)/NUMERIC(78,0); SQLite TEXT zero-padded to a fixed width, so
 * that SQL comparisons and MAX() on the text agree with the numbers. Sums are done in Java.
 */
abstract class JdbcChannelLedger implements ChannelLedger {

  /** One unit of work inside a transaction. */
  @FunctionalInterface
  interface Work<T> extends LedgerDatabase.Work<T> {}

  /** How durable a write transaction must be. */
  enum Durability {
    /** Must survive power loss before returning: charges, vouchers, chain mirror, claims. */
    FSYNC,
    /** Must survive a process crash only: leases (a power loss ends every holder anyway). */
    PROCESS_CRASH
  }

  private static final String CHANNEL_COLUMNS = "channel_id, payer, payer_authorizer, receiver,"
      + " receiver_authorizer, token, withdraw_delay, salt, charged_cumulative, signed_max_claimable,"
      + " voucher_signature, voucher_signer, balance, total_claimed, withdraw_requested_at, refund_nonce,"
      + " last_event_block, claim_submitted_up_to, claim_tx_hash, claim_attempts, claim_confirmed_up_to,"
      + " claim_last_error, version";

  protected final Clock clock;
  private final String forUpdate;
  private final String greatest;

  JdbcChannelLedger(Clock clock, String forUpdate, String greatest) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.forUpdate = forUpdate;
    this.greatest = greatest;
  }

  /** Runs {@code work} in one write transaction and commits it with the given durability. */
  protected abstract <T> T write(Durability durability, LedgerDatabase.Work<T> work);

  /**
   * Runs {@code work} in one write transaction and returns once it committed, with a stage that completes once the
   * commit is on disk (as {@link Durability#FSYNC} requires). Stores whose COMMIT is durable by itself (PostgreSQL)
   * keep this default: a synchronous write, already durable.
   */
  protected <T> Deferred<T> writeDeferred(LedgerDatabase.Work<T> work) {
    return new Deferred<>(write(Durability.FSYNC, work), java.util.concurrent.CompletableFuture.completedStage(null));
  }

  /** A committed transaction's result and when it is durable. */
  protected record Deferred<T>(T result, java.util.concurrent.CompletionStage<Void> durable) {}

  /** Runs {@code work} on a consistent snapshot. */
  protected abstract <T> T read(LedgerDatabase.Work<T> work);

  protected abstract LedgerDatabase.Dialect dialect();

  @Override
  public LedgerDatabase database() {
    return new LedgerDatabase() {
      @Override
      public Dialect dialect() {
        return JdbcChannelLedger.this.dialect();
      }

      @Override
      public <T> T write(Work<T> work) {
        return JdbcChannelLedger.this.write(Durability.FSYNC, work);
      }

      @Override
      public <T> T read(Work<T> work) {
        return JdbcChannelLedger.this.read(work);
      }

      @Override
      public void migrate(String component, List<SchemaMigration> migrations) {
        JdbcChannelLedger.this.write(Durability.FSYNC, c -> {
          migrateLocked(c);
          return LedgerSchema.migrate(c, component, migrations, schemaTypes(), clock.millis());
        });
      }

      @Override
      public <T> T exclusively(String name, java.util.function.Supplier<T> work) {
        return JdbcChannelLedger.this.exclusively(name, work);
      }
    };
  }

  /** {@link LedgerDatabase#exclusively}: at once, for a database one process owns. */
  protected <T> T exclusively(String name, java.util.function.Supplier<T> work) {
    return work.get();
  }

  protected abstract void setUint128(PreparedStatement ps, int index, BigInteger value) throws SQLException;

  protected abstract void setUint256(PreparedStatement ps, int index, BigInteger value) throws SQLException;

  protected abstract BigInteger uint(ResultSet rs, String column) throws SQLException;

  /** Dialect types for {@link LedgerSchema} placeholders. */
  protected abstract Map<String, String> schemaTypes();

  /** Creates or upgrades the schema; subclasses call it once their connections are ready. */
  protected final void migrate() {
    write(Durability.FSYNC, c -> {
      migrateLocked(c);
      return LedgerSchema.migrate(c, schemaTypes(), clock.millis());
    });
  }

  /** Takes whatever lock makes migration exclusive beyond the write transaction itself. */
  protected void migrateLocked(Connection c) throws SQLException {}

  // ---- leases

  /** Where this ledger keeps its leases. */
  protected abstract ChannelLeases leases();

  /** A lease write in a transaction of its own: survives a process crash, needs no fsync. */
  protected final <T> T writeLease(LedgerDatabase.Work<T> work) {
    return write(Durability.PROCESS_CRASH, work);
  }

  @Override
  public ChannelLease acquire(String channelId, String owner, Duration ttl) {
    return leases().acquire(checkedLease(channelId, owner, ttl), owner, ttl);
  }

  /** Each store combines its leases and its channel reads in its own way, in as few steps as it can. */
  @Override
  public abstract Leased acquireAndGet(String channelId, String owner, Duration ttl);

  /** The channel id of a lease to take, in canonical form, once the lease's arguments are checked. */
  protected static String checkedLease(String channelId, String owner, Duration ttl) {
    String id = LedgerValues.bytes32("channelId", channelId);
    Objects.requireNonNull(owner, "owner");
    requirePositive(ttl);
    return id;
  }

  @Override
  public Optional<ChannelLease> renew(ChannelLease lease, Duration ttl) {
    requirePositive(ttl);
    return leases().renew(lease, ttl);
  }

  @Override
  public void release(ChannelLease lease) {
    leases().release(lease);
  }

  // ---- reads

  @Override
  public Optional<ChannelState> get(String channelId) {
    String id = LedgerValues.bytes32("channelId", channelId);
    return read(c -> Optional.ofNullable(selectChannel(c, id, false)));
  }

  /** The channel's row, locked for the transaction with {@code lock} (where the dialect locks rows); null if none. */
  protected final ChannelState selectChannel(Connection c, String id, boolean lock) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + CHANNEL_COLUMNS + " FROM ledger_channels WHERE channel_id = ?" + (lock ? forUpdate : ""))) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? channel(rs) : null;
      }
    }
  }

  private List<ChannelState> selectChannels(Connection c, String where, String... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + CHANNEL_COLUMNS + " FROM ledger_channels WHERE " + where + " ORDER BY channel_id")) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      List<ChannelState> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(channel(rs));
        }
      }
      return out;
    }
  }

  private ChannelState channel(ResultSet rs) throws SQLException {
    ChannelConfig config = new ChannelConfig(rs.getString("payer"), rs.getString("payer_authorizer"),
        rs.getString("receiver"), rs.getString("receiver_authorizer"), rs.getString("token"),
        rs.getLong("withdraw_delay"), rs.getString("salt"));
    byte[] signature = rs.getBytes("voucher_signature");
    Optional<SignedVoucher> voucher = signature == null
        ? Optional.empty()
        : Optional.of(new SignedVoucher(uint(rs, "signed_max_claimable"), signature));
    ChainState chain = new ChainState(uint(rs, "balance"), uint(rs, "total_claimed"),
        rs.getLong("withdraw_requested_at"), uint(rs, "refund_nonce"), rs.getLong("last_event_block"));
    ClaimStatus claim = new ClaimStatus(uint(rs, "claim_submitted_up_to"),
        Optional.ofNullable(rs.getString("claim_tx_hash")), rs.getInt("claim_attempts"),
        uint(rs, "claim_confirmed_up_to"), Optional.ofNullable(rs.getString("claim_last_error")));
    return new ChannelState(rs.getString("channel_id"), config, uint(rs, "charged_cumulative"), voucher,
        Optional.ofNullable(rs.getString("voucher_signer")), chain, claim, rs.getLong("version"));
  }

  // ---- charges

  @Override
  public ChargeResult recordCharge(ChannelLease lease, long expectedVersion, BigInteger newChargedCumulative,
      BigInteger voucherMaxClaimable, byte[] signature) {
    return charge(new Charge(lease, expectedVersion, newChargedCumulative, voucherMaxClaimable, signature, false,
        ChargeHook.NONE), false);
  }

  @Override
  public ChargeResult recordChargeAndRelease(ChannelLease lease, long expectedVersion, BigInteger newChargedCumulative,
      BigInteger voucherMaxClaimable, byte[] signature) {
    return charge(new Charge(lease, expectedVersion, newChargedCumulative, voucherMaxClaimable, signature, true,
        ChargeHook.NONE), false);
  }

  @Override
  public ChargeResult recordChargeAndRelease(ChannelLease lease, long expectedVersion, BigInteger newChargedCumulative,
      BigInteger voucherMaxClaimable, byte[] signature, ChargeHook hook) {
    return charge(new Charge(lease, expectedVersion, newChargedCumulative, voucherMaxClaimable, signature, true,
        Objects.requireNonNull(hook, "hook")), false);
  }

  @Override
  public ChargeResult recordChargeAndReleaseDeferred(ChannelLease lease, long expectedVersion,
      BigInteger newChargedCumulative, BigInteger voucherMaxClaimable, byte[] signature, ChargeHook hook) {
    return charge(new Charge(lease, expectedVersion, newChargedCumulative, voucherMaxClaimable, signature, true,
        Objects.requireNonNull(hook, "hook")), true);
  }

  private ChargeResult charge(Charge charge, boolean deferred) {
    Deferred<ChargeResult> d = writeCharge(charge.channelId, charge, deferred, charge::ended);
    return d.result() instanceof ChargeResult.Committed c ? new ChargeResult.Committed(c.state(), d.durable())
        : d.result();
  }

  /**
   * Runs a charge's transaction ({@code deferred}: as {@link #writeDeferred}; otherwise durable before it returns),
   * then {@code ended} with its result, or with null if it failed. This is the one write path a store that remembers
   * channels may learn from (the charge's result is the channel's new state); every other write makes it forget.
   */
  protected Deferred<ChargeResult> writeCharge(String channelId, LedgerDatabase.Work<ChargeResult> work,
      boolean deferred, java.util.function.Consumer<ChargeResult> ended) {
    ChargeResult result = null;
    try {
      Deferred<ChargeResult> d = deferred ? writeDeferred(work)
          : new Deferred<>(write(Durability.FSYNC, work), java.util.concurrent.CompletableFuture.completedStage(null));
      result = d.result();
      return d;
    } finally {
      ended.accept(result);
    }
  }

  /**
   * The channel as a charge's transaction starts from, locked where the dialect locks rows; null if unknown. A store
   * may answer from what it committed last: the charge's UPDATE still compares the version.
   */
  protected ChannelState channelForCharge(Connection c, String channelId) throws SQLException {
    return selectChannel(c, channelId, true);
  }

  /** One charge's unit of work, and what it has to undo in the leases once its transaction ended. */
  private final class Charge implements LedgerDatabase.Work<ChargeResult> {
    private final ChannelLease lease;
    private final String channelId;
    private final long expectedVersion;
    private final BigInteger newCharged;
    private final SignedVoucher voucher;
    private final boolean release;
    private final ChargeHook hook;
    private boolean entered;

    Charge(ChannelLease lease, long expectedVersion, BigInteger newCharged, BigInteger voucherMaxClaimable,
        byte[] signature, boolean release, ChargeHook hook) {
      this.voucher = new SignedVoucher(voucherMaxClaimable, signature);
      this.newCharged = LedgerValues.uint128("newChargedCumulative", newCharged);
      this.channelId = LedgerValues.bytes32("channelId", lease.channelId());
      this.lease = lease;
      this.expectedVersion = expectedVersion;
      this.release = release;
      this.hook = hook;
    }

    @Override
    public ChargeResult run(Connection c) throws SQLException {
      entered = leases().enterCharge(c, lease);
      ChannelState current = channelForCharge(c, channelId);
      ChargeResult.Reason refusal = refusal(current, entered, expectedVersion, newCharged, voucher);
      if (refusal != null) {
        return new ChargeResult.Refused(refusal, Optional.ofNullable(current));
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_channels SET charged_cumulative = ?,"
          + " signed_max_claimable = ?, voucher_signature = ?, version = version + 1, updated_at_ms = ?"
          + " WHERE channel_id = ? AND version = ?")) {
        setUint128(ps, 1, newCharged);
        setUint128(ps, 2, voucher.maxClaimableAmount());
        ps.setBytes(3, voucher.signature());
        ps.setLong(4, clock.millis());
        ps.setString(5, channelId);
        ps.setLong(6, expectedVersion);
        if (ps.executeUpdate() != 1) {
          // The row is not what channelForCharge said: only a store answering from memory can get here, and only if
          // something wrote the file behind its back. The row as it is decides.
          ChannelState actual = selectChannel(c, channelId, true);
          return new ChargeResult.Refused(actual == null ? ChargeResult.Reason.CHANNEL_NOT_FOUND
              : ChargeResult.Reason.STALE_VERSION, Optional.ofNullable(actual));
        }
      }
      if (release) {
        leases().releaseWithCharge(c, lease);
      }
      ChannelState charged = new ChannelState(channelId, current.config(), newCharged, Optional.of(voucher),
          current.voucherSigner(), current.chain(), current.claim(), expectedVersion + 1);
      // Last, so that whatever the hook locks (the receipt stream counter) is held for the shortest time.
      hook.inTransaction(c, charged, newCharged.subtract(current.chargedCumulativeAmount()));
      return new ChargeResult.Committed(charged);
    }

    /** The transaction is over: a committed releasing charge took the lease with it. */
    void ended(ChargeResult result) {
      if (entered) {
        leases().chargeEnded(lease, release && result instanceof ChargeResult.Committed);
      }
    }
  }

  private static ChargeResult.Reason refusal(ChannelState current, boolean leaseHeld, long expectedVersion,
      BigInteger newCharged, SignedVoucher voucher) {
    if (current == null) {
      return ChargeResult.Reason.CHANNEL_NOT_FOUND;
    }
    if (!leaseHeld) {
      return ChargeResult.Reason.LEASE_LOST;
    }
    if (current.version() != expectedVersion) {
      return ChargeResult.Reason.STALE_VERSION;
    }
    if (newCharged.compareTo(current.chargedCumulativeAmount()) < 0) {
      return ChargeResult.Reason.CUMULATIVE_DECREASED;
    }
    if (newCharged.compareTo(voucher.maxClaimableAmount()) > 0) {
      return ChargeResult.Reason.CHARGE_EXCEEDS_VOUCHER;
    }
    return null;
  }

  @Override
  public void cacheVoucherSigner(String channelId, String signer) {
    String id = LedgerValues.bytes32("channelId", channelId);
    String address = LedgerValues.address("signer", signer);
    write(Durability.FSYNC, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE ledger_channels SET voucher_signer = ? WHERE channel_id = ?")) {
        ps.setString(1, address);
        ps.setString(2, id);
        return ps.executeUpdate();
      }
    });
  }

  // ---- chain watcher

  @Override
  public ChannelState upsertChannel(String channelId, ChannelConfig config) {
    String id = LedgerValues.bytes32("channelId", channelId);
    Objects.requireNonNull(config, "config");
    return write(Durability.FSYNC, c -> {
      ChannelState existing = selectChannel(c, id, true);
      if (existing == null) {
        // Another replica may insert the same new channel at the same moment (its deposit, its chain watcher):
        // the insert then does nothing and the row it committed is read instead.
        insertChannel(c, id, config);
        existing = selectChannel(c, id, true);
      }
      if (!existing.config().equals(config)) {
        throw new LedgerException("channel " + id + " is already known with config " + existing.config()
            + ", not " + config + "; a channel id is the hash of its config, so the caller mixed up channels");
      }
      return existing;
    });
  }

  private void insertChannel(Connection c, String id, ChannelConfig config) throws SQLException {
    long now = clock.millis();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger_channels (channel_id, payer,"
        + " payer_authorizer, receiver, receiver_authorizer, token, withdraw_delay, salt, charged_cumulative,"
        + " signed_max_claimable, balance, total_claimed, withdraw_requested_at, refund_nonce, last_event_block,"
        + " claim_submitted_up_to, claim_attempts, claim_confirmed_up_to, version, created_at_ms, updated_at_ms)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, -1, ?, 0, ?, 1, ?, ?)"
        + " ON CONFLICT (channel_id) DO NOTHING")) {
      ps.setString(1, id);
      ps.setString(2, config.payer());
      ps.setString(3, config.payerAuthorizer());
      ps.setString(4, config.receiver());
      ps.setString(5, config.receiverAuthorizer());
      ps.setString(6, config.token());
      ps.setLong(7, config.withdrawDelay());
      ps.setString(8, config.salt());
      for (int i = 9; i <= 12; i++) {
        setUint128(ps, i, BigInteger.ZERO);
      }
      setUint256(ps, 13, BigInteger.ZERO);
      setUint128(ps, 14, BigInteger.ZERO);
      setUint128(ps, 15, BigInteger.ZERO);
      ps.setLong(16, now);
      ps.setLong(17, now);
      ps.executeUpdate();
    }
  }

  @Override
  public boolean applyChainState(String channelId, BigInteger balance, BigInteger totalClaimed,
      long withdrawRequestedAt, BigInteger refundNonce, long blockNumber) {
    String id = LedgerValues.bytes32("channelId", channelId);
    ChainState next = new ChainState(balance, totalClaimed, withdrawRequestedAt, refundNonce, blockNumber);
    return write(Durability.FSYNC, c -> {
      ChannelState current = selectChannel(c, id, true);
      if (current == null || blockNumber < current.chain().lastEventBlock() || next.equals(current.chain())) {
        return false;
      }
      // Bumps the version: a voucher verified against the old balance must not commit against the new one.
      try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_channels SET balance = ?, total_claimed = ?,"
          + " withdraw_requested_at = ?, refund_nonce = ?, last_event_block = ?, version = version + 1,"
          + " updated_at_ms = ? WHERE channel_id = ?")) {
        setUint128(ps, 1, balance);
        setUint128(ps, 2, totalClaimed);
        ps.setLong(3, withdrawRequestedAt);
        setUint256(ps, 4, refundNonce);
        ps.setLong(5, blockNumber);
        ps.setLong(6, clock.millis());
        ps.setString(7, id);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean applyReceiverState(String receiver, String token, BigInteger totalClaimed,
      BigInteger totalSettled, long blockNumber) {
    String r = LedgerValues.address("receiver", receiver);
    String t = LedgerValues.address("token", token);
    LedgerValues.uint128("totalClaimed", totalClaimed);
    LedgerValues.uint128("totalSettled", totalSettled);
    return write(Durability.FSYNC, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger_receivers (receiver, token,"
          + " total_claimed, total_settled, last_event_block) VALUES (?, ?, ?, ?, ?) ON CONFLICT (receiver, token)"
          + " DO UPDATE SET total_claimed = excluded.total_claimed, total_settled = excluded.total_settled,"
          + " last_event_block = excluded.last_event_block"
          + " WHERE ledger_receivers.last_event_block <= excluded.last_event_block")) {
        ps.setString(1, r);
        ps.setString(2, t);
        setUint128(ps, 3, totalClaimed);
        setUint128(ps, 4, totalSettled);
        ps.setLong(5, blockNumber);
        return ps.executeUpdate() == 1;
      }
    });
  }

  // ---- claims

  @Override
  public List<ChannelState> claimable(BigInteger minUnclaimed, Instant dueBefore, int limit) {
    LedgerValues.uint128("minUnclaimed", minUnclaimed);
    long dueSeconds = dueBefore.getEpochSecond();
    List<ChannelState> candidates = read(c -> selectChannels(c, "claim_tx_hash IS NULL"
        + " AND charged_cumulative > total_claimed AND charged_cumulative > claim_confirmed_up_to"));
    return candidates.stream()
        .filter(s -> s.unclaimed().compareTo(minUnclaimed) >= 0
            || s.withdrawDeadline().orElse(Long.MAX_VALUE) < dueSeconds)
        .sorted(Comparator
            .comparingLong((ChannelState s) -> s.withdrawDeadline().orElse(Long.MAX_VALUE))
            .thenComparing(ChannelState::unclaimed, Comparator.reverseOrder())
            .thenComparing(ChannelState::channelId))
        .limit(limit)
        .toList();
  }

  @Override
  public void markClaimSubmitted(List<ClaimSubmission> entries, String txHash) {
    String tx = LedgerValues.bytes32("txHash", txHash);
    List<ClaimSubmission> ordered =
        entries.stream().sorted(Comparator.comparing(ClaimSubmission::channelId)).toList();
    write(Durability.FSYNC, c -> {
      for (ClaimSubmission e : ordered) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_channels SET claim_submitted_up_to = ?,"
            + " claim_tx_hash = ?, claim_submitted_at_ms = ?, claim_attempts = claim_attempts + 1,"
            + " claim_last_error = NULL WHERE channel_id = ? AND claim_tx_hash IS NULL"
            + " AND charged_cumulative >= ?")) {
          setUint128(ps, 1, e.upTo());
          ps.setString(2, tx);
          ps.setLong(3, clock.millis());
          ps.setString(4, e.channelId());
          setUint128(ps, 5, e.upTo());
          if (ps.executeUpdate() != 1) {
            throw new LedgerException("cannot mark a claim of channel " + e.channelId() + " up to " + e.upTo()
                + " in " + tx + ": the channel is unknown, already has a claim in flight, or was charged less;"
                + " nothing was marked");
          }
        }
      }
      insertClaimTransaction(c, tx, tx, 0);
      return null;
    });
  }

  @Override
  public void markClaimReplaced(String claimTxHash, String replacementTxHash) {
    String claim = LedgerValues.bytes32("claimTxHash", claimTxHash);
    String replacement = LedgerValues.bytes32("replacementTxHash", replacementTxHash);
    write(Durability.FSYNC, c -> {
      // Locks the claim's channel rows (in channel-id order, like every claim update), so the claim cannot be
      // confirmed or failed between this check and the insert.
      try (PreparedStatement ps = c.prepareStatement("SELECT channel_id FROM ledger_channels WHERE claim_tx_hash = ?"
          + " ORDER BY channel_id" + forUpdate)) {
        ps.setString(1, claim);
        ps.executeQuery().close();
      }
      List<String> known = claimTransactions(c, claim);
      if (known.isEmpty()) {
        throw new LedgerException("cannot record " + replacement + " as a replacement of claim " + claim
            + ": no claim is in flight under that hash (it was confirmed or failed meanwhile); nothing was recorded");
      }
      if (!known.contains(replacement)) {
        insertClaimTransaction(c, replacement, claim, known.size());
      }
      return null;
    });
  }

  @Override
  public List<String> claimTransactions(String claimTxHash) {
    String claim = LedgerValues.bytes32("claimTxHash", claimTxHash);
    return read(c -> claimTransactions(c, claim));
  }

  /** The claim's transactions, original first; empty unless some channel has the claim in flight. */
  private List<String> claimTransactions(Connection c, String claim) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT t.tx_hash FROM ledger_claim_txs t WHERE"
        + " t.claim_tx_hash = ? AND EXISTS (SELECT 1 FROM ledger_channels ch WHERE ch.claim_tx_hash = ?)"
        + " ORDER BY t.attempt")) {
      ps.setString(1, claim);
      ps.setString(2, claim);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  private void insertClaimTransaction(Connection c, String tx, String claim, int attempt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger_claim_txs (tx_hash, claim_tx_hash, attempt,"
        + " sent_at_ms) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, tx);
      ps.setString(2, claim);
      ps.setInt(3, attempt);
      ps.setLong(4, clock.millis());
      ps.executeUpdate();
    }
  }

  /** The claim key (its original hash) of {@code tx}, an original or a recorded replacement. */
  private static String claimOf(Connection c, String tx) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT claim_tx_hash FROM ledger_claim_txs WHERE tx_hash = ?")) {
      ps.setString(1, tx);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : tx;
      }
    }
  }

  /** Forgets the transactions of a claim that was resolved (confirmed or failed). */
  private static void forgetClaimTransactions(Connection c, String claim) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM ledger_claim_txs WHERE claim_tx_hash = ?")) {
      ps.setString(1, claim);
      ps.executeUpdate();
    }
  }

  @Override
  public int markClaimConfirmed(String txHash) {
    String tx = LedgerValues.bytes32("txHash", txHash);
    return write(Durability.FSYNC, c -> {
      String claim = claimOf(c, tx);
      try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_channels SET claim_confirmed_up_to = "
          + greatest + "(claim_confirmed_up_to, claim_submitted_up_to), claim_tx_hash = NULL, claim_attempts = 0,"
          + " claim_last_error = NULL, updated_at_ms = ? WHERE claim_tx_hash = ?")) {
        ps.setLong(1, clock.millis());
        ps.setString(2, claim);
        int n = ps.executeUpdate();
        forgetClaimTransactions(c, claim);
        return n;
      }
    });
  }

  @Override
  public int markClaimFailed(String txHash, String error) {
    String tx = LedgerValues.bytes32("txHash", txHash);
    return write(Durability.FSYNC, c -> {
      String claim = claimOf(c, tx);
      try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_channels SET claim_tx_hash = NULL,"
          + " claim_last_error = ?, updated_at_ms = ? WHERE claim_tx_hash = ?")) {
        ps.setString(1, Objects.requireNonNullElse(error, "unknown"));
        ps.setLong(2, clock.millis());
        ps.setString(3, claim);
        int n = ps.executeUpdate();
        forgetClaimTransactions(c, claim);
        return n;
      }
    });
  }

  @Override
  public List<ChannelState> claimsInFlight() {
    return read(c -> selectChannels(c, "claim_tx_hash IS NOT NULL"));
  }

  // ---- totals

  @Override
  public List<LedgerTotals> totals() {
    return read(c -> {
      Map<String, BigInteger[]> byToken = new TreeMap<>();
      Map<String, Long> counts = new TreeMap<>();
      for (ChannelState s : selectChannels(c, "1 = 1")) {
        BigInteger[] t = byToken.computeIfAbsent(s.config().token(), k -> zeros(4));
        t[0] = t[0].add(s.chargedCumulativeAmount());
        t[1] = t[1].add(s.unclaimed());
        t[2] = t[2].add(s.chain().totalClaimed());
        counts.merge(s.config().token(), 1L, Long::sum);
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT token, total_settled FROM ledger_receivers");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          BigInteger[] t = byToken.computeIfAbsent(rs.getString("token"), k -> zeros(4));
          t[3] = t[3].add(uint(rs, "total_settled"));
        }
      }
      List<LedgerTotals> out = new ArrayList<>();
      byToken.forEach((token, t) ->
          out.add(new LedgerTotals(token, t[0], t[1], t[2], t[3], counts.getOrDefault(token, 0L))));
      return out;
    });
  }

  private static BigInteger[] zeros(int n) {
    BigInteger[] a = new BigInteger[n];
    java.util.Arrays.fill(a, BigInteger.ZERO);
    return a;
  }

  private static void requirePositive(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a lease needs a positive ttl, got " + ttl);
    }
  }
}
