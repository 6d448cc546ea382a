/**
 * Leader election between replicas that share one channel ledger: exactly one replica at a time runs the
 * rounds that send transactions from a shared key (claim rounds, receipt anchoring rounds), and another takes
 * over by itself when it dies or loses its database connection.
 *
 * <p>Start with {@link io.infergate.host.leadership.LeaderElection}: {@code forLedger} picks
 * {@link io.infergate.host.leadership.AdvisoryLockElection} (a PostgreSQL session-level advisory lock on a
 * dedicated connection, keyed by {@link io.infergate.host.leadership.LeaderLockKey}) for a PostgreSQL ledger,
 * and {@link io.infergate.host.leadership.SingleNodeElection} (always the leader) for a SQLite one. A round
 * asks {@link io.infergate.host.leadership.LeaderElection#lead()} first, on its own thread
 * ({@link io.infergate.host.leadership.LeaderElection#gate(Runnable)}).
 * {@link io.infergate.host.leadership.LeaderMetrics} exports {@code infergate_leader{role}};
 * {@link io.infergate.host.leadership.LeaderStatus} is what the admin routes show.
 */
package io.infergate.host.leadership;
