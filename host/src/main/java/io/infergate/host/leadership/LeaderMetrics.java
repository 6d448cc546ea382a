package io.infergate.host.leadership;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meters of one role's election (Prometheus names):
 * <ul>
 *   <li>{@code infergate_leader{role}}: 1 while this replica leads the role, 0 otherwise; across replicas the
 *       sum is 1 in steady state (0 for at most a tick or two during a fail-over)</li>
 *   <li>{@code infergate_leader_changes_total{role, change}}: {@code acquired} and {@code lost} leadership</li>
 * </ul>
 */
public final class LeaderMetrics {
  private final AtomicInteger leader = new AtomicInteger();
  private final Counter acquired;
  private final Counter lost;

  private LeaderMetrics(MeterRegistry registry, LeaderRole role) {
    Gauge.builder("infergate_leader", leader, AtomicInteger::get).tag("role", role.label())
        .description("1 while this replica leads the role (claims, anchoring), else 0").register(registry);
    acquired = Counter.builder("infergate_leader_changes_total").tag("role", role.label()).tag("change", "acquired")
        .description("Times this replica took or lost leadership of the role").register(registry);
    lost = Counter.builder("infergate_leader_changes_total").tag("role", role.label()).tag("change", "lost")
        .description("Times this replica took or lost leadership of the role").register(registry);
  }

  public static LeaderMetrics create(MeterRegistry registry, LeaderRole role) {
    return new LeaderMetrics(registry, role);
  }

  /** Meters that go nowhere (tests, tools). */
  public static LeaderMetrics none(LeaderRole role) {
    return new LeaderMetrics(new SimpleMeterRegistry(), role);
  }

  void acquired() {
    leader.set(1);
    acquired.increment();
  }

  void lost() {
    leader.set(0);
    lost.increment();
  }
}
