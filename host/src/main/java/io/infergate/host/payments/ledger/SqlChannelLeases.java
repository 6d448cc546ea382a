package io.infergate.host.payments.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Leases as rows of {@code ledger_leases}, for ledgers whose database several processes share (PostgreSQL
 * replicas): every replica sees every lease. The design notes in {@link JdbcChannelLedger} explain the table.
 */
final class SqlChannelLeases implements ChannelLeases {

  /** Runs lease work in a write transaction of its own (leases need not wait for an fsync). */
  interface Transactions {
    <T> T write(LedgerDatabase.Work<T> work);
  }

  private final Clock clock;
  private final String forUpdate;
  private final Transactions transactions;

  /** @param forUpdate the dialect's row-lock suffix ({@code " FOR UPDATE"}, or empty where the write lock is global) */
  SqlChannelLeases(Clock clock, String forUpdate, Transactions transactions) {
    this.clock = clock;
    this.forUpdate = forUpdate;
    this.transactions = transactions;
  }

  @Override
  public ChannelLease acquire(String channelId, String owner, Duration ttl) {
    return transactions.write(c -> acquire(c, channelId, owner, ttl));
  }

  /** Takes the lease inside the caller's write transaction, or throws {@link ChannelBusyException}. */
  ChannelLease acquire(Connection c, String id, String owner, Duration ttl) throws SQLException {
    long now = clock.millis();
    long expires = now + ttl.toMillis();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO ledger_leases (channel_id, owner, fencing_token, acquired_at_ms, expires_at_ms)"
            + " VALUES (?, ?, 1, ?, ?) ON CONFLICT (channel_id) DO UPDATE SET owner = excluded.owner,"
            + " fencing_token = ledger_leases.fencing_token + 1, acquired_at_ms = excluded.acquired_at_ms,"
            + " expires_at_ms = excluded.expires_at_ms WHERE ledger_leases.expires_at_ms <= ?"
            + " RETURNING fencing_token")) {
      ps.setString(1, id);
      ps.setString(2, owner);
      ps.setLong(3, now);
      ps.setLong(4, expires);
      ps.setLong(5, now);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return new ChannelLease(id, owner, rs.getLong(1), Instant.ofEpochMilli(expires));
        }
      }
    }
    throw new ChannelBusyException(id, Instant.ofEpochMilli(expiry(c, id)));
  }

  private static long expiry(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT expires_at_ms FROM ledger_leases WHERE channel_id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  @Override
  public Optional<ChannelLease> renew(ChannelLease lease, Duration ttl) {
    return transactions.write(c -> {
      long expires = clock.millis() + ttl.toMillis();
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE ledger_leases SET expires_at_ms = ? WHERE channel_id = ? AND fencing_token = ?")) {
        ps.setLong(1, expires);
        ps.setString(2, lease.channelId());
        ps.setLong(3, lease.fencingToken());
        return ps.executeUpdate() == 1
            ? Optional.of(new ChannelLease(lease.channelId(), lease.owner(), lease.fencingToken(),
                Instant.ofEpochMilli(expires)))
            : Optional.empty();
      }
    });
  }

  @Override
  public void release(ChannelLease lease) {
    transactions.write(c -> {
      releaseWithCharge(c, lease);
      return null;
    });
  }

  /** Locks the lease row (first, before the channel row: the lock order) and compares its fencing token. */
  @Override
  public boolean enterCharge(Connection c, ChannelLease lease) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT fencing_token FROM ledger_leases WHERE channel_id = ?" + forUpdate)) {
      ps.setString(1, lease.channelId());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getLong(1) == lease.fencingToken();
      }
    }
  }

  /** Expires the row but keeps it, so that fencing tokens only ever grow. */
  @Override
  public void releaseWithCharge(Connection c, ChannelLease lease) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE ledger_leases SET expires_at_ms = 0 WHERE channel_id = ? AND fencing_token = ?")) {
      ps.setString(1, lease.channelId());
      ps.setLong(2, lease.fencingToken());
      ps.executeUpdate();
    }
  }

  /** The row lock went with the transaction. */
  @Override
  public void chargeEnded(ChannelLease lease, boolean released) {}
}
