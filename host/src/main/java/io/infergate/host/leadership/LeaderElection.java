package io.infergate.host.leadership;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Who runs one role's rounds among the replicas sharing a ledger. A round asks {@link #lead()} right before it
 * runs, on its own thread, and runs only on {@code true}; a replica that does not lead asks again at its next tick,
 * so one takes over within a tick or two of the leader's death.
 *
 * <pre>{@code
 * LeaderElection claims = LeaderElection.forLedger(payments.ledger(), LeaderRole.CLAIMS, registry);
 * PeriodicTask.start("claim-scheduler", tick, closeWait, claims.gate(scheduler::runRound));
 * claims.status().toJson();    // for the admin route
 * claims.close();              // after the rounds stopped: hands leadership over at once
 * }</pre>
 */
public interface LeaderElection extends AutoCloseable {

  /**
   * The election for replicas sharing {@code ledger} (the {@code payments.ledger} setting): an advisory lock for a
   * {@code jdbc:postgresql:} URL, otherwise (a SQLite file, one process) always the leader.
   */
  static LeaderElection forLedger(String ledger, LeaderRole role, MeterRegistry registry) {
    LeaderMetrics metrics = LeaderMetrics.create(registry, role);
    return ledger.startsWith("jdbc:postgresql:") ? AdvisoryLockElection.create(ledger, role, metrics)
        : SingleNodeElection.create(role, metrics);
  }

  LeaderRole role();

  /**
   * Checks, and takes when free, leadership now: true if this replica leads and may run one round. Blocking
   * (a database round trip, bounded by a timeout); never throws: a failure is "not the leader".
   */
  boolean lead();

  /** The answer of the last {@link #lead()}, without asking again (for meters and status). */
  boolean leading();

  LeaderStatus status();

  /** {@code round}, run only when {@link #lead()} says so. */
  default Runnable gate(Runnable round) {
    return gate(round, () -> {});
  }

  /**
   * {@code round} when {@link #lead()} says so, else {@code otherwise} (work every replica does at each tick, such as
   * refreshing meters from the shared ledger).
   */
  default Runnable gate(Runnable round, Runnable otherwise) {
    return () -> {
      if (lead()) {
        round.run();
      } else {
        otherwise.run();
      }
    };
  }

  /** Gives leadership up (another replica takes it at its next tick). Call after the rounds stopped. */
  @Override
  void close();
}
