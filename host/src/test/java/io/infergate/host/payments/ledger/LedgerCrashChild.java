package io.infergate.host.payments.ledger;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;

/**
 * Runs in a child JVM killed with {@code kill -9} by {@link ChannelLedgerContract}: takes the channel's
 * lease and never releases it, then charges 1 per iteration forever, printing {@code committed <version>
 * <charged>} only after {@code recordCharge} returned.
 *
 * <p>Arguments: ledger spec, channel id, owner, lease ttl in seconds.
 */
public final class LedgerCrashChild {
  private LedgerCrashChild() {}

  public static void main(String[] args) {
    ChannelLedger ledger = TestLedgers.open(args[0], Clock.systemUTC());
    String channelId = args[1];
    ChannelLease lease = ledger.acquire(channelId, args[2], Duration.ofSeconds(Long.parseLong(args[3])));
    System.out.println("leased " + lease.fencingToken());
    System.out.flush();
    while (true) {
      ChannelState s = ledger.get(channelId).orElseThrow();
      BigInteger next = s.chargedCumulativeAmount().add(BigInteger.ONE);
      BigInteger max = next.add(BigInteger.valueOf(5));
      ChargeResult r = ledger.recordCharge(lease, s.version(), next, max, TestLedgers.signatureFor(max));
      if (!(r instanceof ChargeResult.Committed c)) {
        throw new IllegalStateException("the only writer was refused: " + r);
      }
      System.out.println("committed " + c.state().version() + " " + c.state().chargedCumulativeAmount());
      System.out.flush();
    }
  }
}
