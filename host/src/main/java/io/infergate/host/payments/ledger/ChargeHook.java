package io.infergate.host.payments.ledger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work that must commit together with a charge, or not at all (the receipt journal): it runs inside the
 * charge's transaction, after the charge was written and before the commit. Throwing rolls the charge back.
 * On PostgreSQL a transaction that hit a serialization failure is retried, so the hook may run more than once;
 * only its last run is committed. It writes its own tables only, never the ledger's: the SQLite ledger takes the
 * channel's new state from the charge itself and keeps it in memory.
 */
@FunctionalInterface
public interface ChargeHook {
  /**
   * @param c the charge's connection, inside its transaction (do not commit or roll back)
   * @param charged the channel as the charge leaves it
   * @param chargedAmount what this charge added to {@code chargedCumulativeAmount}
   */
  void inTransaction(Connection c, ChannelState charged, java.math.BigInteger chargedAmount) throws SQLException;

  /** No extra work. */
  ChargeHook NONE = (c, charged, amount) -> { };
}
