package io.infergate.host.payments.ledger;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Leases in this process's memory, for a ledger file that only this process may open ({@link LedgerFileLock}):
 * nobody else could see or take a lease, so taking one needs no SQL and no disk. The semantics are those of
 * {@link SqlChannelLeases}: busy at once while another owner's lease runs, expiry by the ledger's clock, release
 * by fencing token, and a fencing token that grows with every acquisition, so that a holder that stalled past its
 * expiry and was taken over is refused ({@code LEASE_LOST}).
 *
 * <p>Each channel's entry changes atomically ({@link ConcurrentHashMap#compute}). A lease whose charge is in its
 * transaction cannot be taken over, even once expired, until the transaction ended ({@link #chargeEnded}): the
 * SQL leases get the same order from the lease row's lock. A released lease's entry is removed, so the map holds
 * only channels leased now (or whose holder never released: the next acquisition replaces it); a late call with a
 * released or taken-over lease finds no entry or another token, and is refused like a takeover.
 */
final class InMemoryChannelLeases implements ChannelLeases {
  /**
   * Fencing tokens for the whole JVM: a {@link ChannelLease} kept across a close and reopen of a ledger in the
   * same JVM can never match a lease of the new instance.
   */
  private static final AtomicLong TOKENS = new AtomicLong();

  /** One channel's lease; {@code expiresAtMs} 0 once released while its charge's transaction still runs. */
  private record Held(String owner, long token, long expiresAtMs, boolean charging) {
    boolean blocksAt(long now) {
      return charging || expiresAtMs > now;
    }
  }

  private final Clock clock;
  private final ConcurrentHashMap<String, Held> byChannel = new ConcurrentHashMap<>();

  InMemoryChannelLeases(Clock clock) {
    this.clock = clock;
  }

  @Override
  public ChannelLease acquire(String channelId, String owner, Duration ttl) {
    long now = clock.millis();
    long expires = now + ttl.toMillis();
    Held[] taken = new Held[1];
    Held current = byChannel.compute(channelId, (id, held) -> {
      if (held != null && held.blocksAt(now)) {
        return held;
      }
      taken[0] = new Held(owner, TOKENS.incrementAndGet(), expires, false);
      return taken[0];
    });
    if (taken[0] == null) {
      // An expired lease still in its charge's transaction: free within moments.
      throw new ChannelBusyException(channelId, Instant.ofEpochMilli(Math.max(current.expiresAtMs(), now)));
    }
    return new ChannelLease(channelId, owner, taken[0].token(), Instant.ofEpochMilli(expires));
  }

  @Override
  public Optional<ChannelLease> renew(ChannelLease lease, Duration ttl) {
    long expires = clock.millis() + ttl.toMillis();
    Held after = byChannel.computeIfPresent(lease.channelId(), (id, held) -> held.token() == lease.fencingToken()
        ? new Held(held.owner(), held.token(), expires, held.charging())
        : held);
    return after != null && after.token() == lease.fencingToken()
        ? Optional.of(new ChannelLease(lease.channelId(), lease.owner(), lease.fencingToken(),
            Instant.ofEpochMilli(expires)))
        : Optional.empty();
  }

  @Override
  public void release(ChannelLease lease) {
    byChannel.computeIfPresent(lease.channelId(), (id, held) -> held.token() != lease.fencingToken() ? held
        : held.charging() ? new Held(held.owner(), held.token(), 0, true)
        : null);
  }

  @Override
  public boolean enterCharge(Connection c, ChannelLease lease) {
    Held after = byChannel.computeIfPresent(lease.channelId(), (id, held) -> held.token() == lease.fencingToken()
        ? new Held(held.owner(), held.token(), held.expiresAtMs(), true)
        : held);
    return after != null && after.token() == lease.fencingToken();
  }

  /** Nothing to write: the lease goes in {@link #chargeEnded}, once the charge committed. */
  @Override
  public void releaseWithCharge(Connection c, ChannelLease lease) {}

  @Override
  public void chargeEnded(ChannelLease lease, boolean released) {
    byChannel.computeIfPresent(lease.channelId(), (id, held) -> held.token() != lease.fencingToken() ? held
        : released || held.expiresAtMs() == 0 ? null
        : new Held(held.owner(), held.token(), held.expiresAtMs(), false));
  }

  /** Channels with an entry: leased now, or left leased by a holder that never released (what the tests check). */
  int size() {
    return byChannel.size();
  }
}
