package io.infergate.host.leadership;

/**
 * Runs in a child JVM that {@link AdvisoryLockElectionTest} kills with {@code kill -9} while it leads: asks for the
 * leadership of a role every 50 ms and prints {@code leading <backend pid>} once it has it.
 *
 * <p>Arguments: the ledger's JDBC URL, the role ({@code CLAIMS} or {@code ANCHORING}).
 */
public final class LeaderChild {
  private LeaderChild() {}

  public static void main(String[] args) throws InterruptedException {
    AdvisoryLockElection election = AdvisoryLockElection.create(args[0], LeaderRole.valueOf(args[1]),
        LeaderMetrics.none(LeaderRole.valueOf(args[1])));
    boolean announced = false;
    while (true) {
      if (election.lead() && !announced) {
        System.out.println("leading " + election.backendPid().orElse(-1));
        System.out.flush();
        announced = true;
      }
      Thread.sleep(50);
    }
  }
}
