package io.infergate.host.payments.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The SQLite ledger's in-memory leases keep an entry only while a channel is leased: a node serving many channels
 * over weeks does not grow a map entry per channel it ever served, and fencing still refuses late holders.
 */
class InMemoryChannelLeasesTest {
  private static final Duration TTL = Duration.ofSeconds(30);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryChannelLeases leases = new InMemoryChannelLeases(clock);

  private static String channel(int n) {
    return String.format("0x%064x", n);
  }

  @Test
  void releasedLeasesLeaveNoEntryBehind() {
    for (int i = 0; i < 1000; i++) {
      ChannelLease l = leases.acquire(channel(i), "worker", TTL);
      if (i % 2 == 0) {
        leases.release(l);
      } else {     // a paid call: the charge's transaction releases it
        assertTrue(leases.enterCharge(null, l));
        leases.chargeEnded(l, true);
      }
    }
    assertEquals(0, leases.size());
  }

  @Test
  void aLeaseReleasedDuringItsChargeGoesWhenTheChargeEnds() {
    ChannelLease l = leases.acquire(channel(1), "a", TTL);
    assertTrue(leases.enterCharge(null, l));
    leases.release(l);
    assertEquals(1, leases.size(), "kept while the charge's transaction runs");
    assertThrows(ChannelBusyException.class, () -> leases.acquire(channel(1), "b", TTL));
    leases.chargeEnded(l, false);
    assertEquals(0, leases.size());
    leases.acquire(channel(1), "b", TTL);
  }

  @Test
  void aTakenOverOrReleasedHolderIsRefusedAfterTheEntryIsGone() {
    ChannelLease stalled = leases.acquire(channel(2), "a", TTL);
    clock.advance(TTL.plusSeconds(1));
    ChannelLease next = leases.acquire(channel(2), "b", TTL);     // taken over after expiry
    leases.release(next);
    assertEquals(0, leases.size());
    assertFalse(leases.enterCharge(null, stalled), "the stalled holder's token matches nothing");
    assertTrue(leases.renew(stalled, TTL).isEmpty());
    ChannelLease third = leases.acquire(channel(2), "c", TTL);
    leases.release(stalled);     // a late release of an old token leaves the new lease alone
    assertEquals(1, leases.size());
    assertThrows(ChannelBusyException.class, () -> leases.acquire(channel(2), "d", TTL));
    assertTrue(leases.enterCharge(null, third));
  }

  @Test
  void aLeaseNobodyReleasedIsReplacedOnceItExpires() {
    leases.acquire(channel(3), "crashed-call", TTL);
    assertThrows(ChannelBusyException.class, () -> leases.acquire(channel(3), "b", TTL));
    clock.advance(TTL.plusSeconds(1));
    ChannelLease b = leases.acquire(channel(3), "b", TTL);
    assertEquals(1, leases.size());
    leases.release(b);
    assertEquals(0, leases.size());
  }
}
