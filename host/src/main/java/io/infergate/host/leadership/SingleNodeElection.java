package io.infergate.host.leadership;

import java.time.Instant;
import java.util.Optional;

/** The election of a node alone on its ledger (SQLite: one process): it always leads. */
public final class SingleNodeElection implements LeaderElection {
  private final LeaderRole role;
  private final Instant since = Instant.now();

  private SingleNodeElection(LeaderRole role) {
    this.role = role;
  }

  public static SingleNodeElection create(LeaderRole role, LeaderMetrics metrics) {
    metrics.acquired();
    return new SingleNodeElection(role);
  }

  /** Always the leader, without meters (tests, tools, callers that run rounds themselves). */
  public static SingleNodeElection always(LeaderRole role) {
    return new SingleNodeElection(role);
  }

  @Override
  public LeaderRole role() {
    return role;
  }

  @Override
  public boolean lead() {
    return true;
  }

  @Override
  public boolean leading() {
    return true;
  }

  @Override
  public LeaderStatus status() {
    return new LeaderStatus(role, true, "single-node", Optional.empty(), Optional.of(since), Optional.empty(),
        Optional.empty());
  }

  @Override
  public void close() {}
}
