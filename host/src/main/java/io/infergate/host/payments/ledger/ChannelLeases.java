package io.infergate.host.payments.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a ledger keeps its channel leases, and their part in a charge's transaction. Leases only spare replicas
 * wasted work; a charge is safe because of the version compare-and-set, whatever the leases say. Two kinds:
 * {@link SqlChannelLeases}, rows in {@code ledger_leases} that every replica sharing a database sees
 * (PostgreSQL), and {@link InMemoryChannelLeases}, a map in the one process a SQLite file allows, which costs no
 * SQL at all. A restart forgets in-memory leases, which is right: a restarted process has no live holders.
 *
 * <p>A charge calls {@link #enterCharge} inside its transaction before it writes anything and, whenever that
 * returned true, {@link #chargeEnded} once the transaction is over, committed or not.
 */
interface ChannelLeases {

  /** {@link ChannelLedger#acquire}, arguments already checked. */
  ChannelLease acquire(String channelId, String owner, Duration ttl);

  /** {@link ChannelLedger#renew}. */
  Optional<ChannelLease> renew(ChannelLease lease, Duration ttl);

  /** {@link ChannelLedger#release}. */
  void release(ChannelLease lease);

  /**
   * Inside a charge's write transaction: whether {@code lease} is still the channel's current lease (the charge
   * is refused with {@code LEASE_LOST} otherwise). On true, nobody can take the channel over until
   * {@link #chargeEnded}.
   */
  boolean enterCharge(Connection c, ChannelLease lease) throws SQLException;

  /** Inside the charge's transaction, after the charge was written, when the charge also releases the lease. */
  void releaseWithCharge(Connection c, ChannelLease lease) throws SQLException;

  /**
   * After the charge's transaction ended. {@code released} is true if it committed with
   * {@link #releaseWithCharge}: the lease goes with the charge.
   */
  void chargeEnded(ChannelLease lease, boolean released);
}
