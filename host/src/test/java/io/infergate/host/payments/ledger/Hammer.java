package io.infergate.host.payments.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many threads on several ledger instances charge random increments to one channel the way the gate
 * does (acquire, read, charge, release), then the invariants are checked: the channel's charge is exactly
 * the sum of the accepted increments, and every accepted increment was applied on top of the previous one
 * (no two accepted from the same version).
 */
final class Hammer {
  private static final Duration TTL = Duration.ofSeconds(30);

  record Accepted(long version, BigInteger increment, BigInteger chargedAfter) {}

  private final ChannelLedger setup;
  private final String channelId;
  private final int threadsPerReplica;
  private final int attemptsPerThread;
  private final Queue<Accepted> accepted = new ConcurrentLinkedQueue<>();
  private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
  final AtomicLong busy = new AtomicLong();
  final AtomicLong refusedStale = new AtomicLong();
  final AtomicLong refusedLeaseLost = new AtomicLong();
  private final boolean readBeforeAcquire;
  private long elapsedNanos;
  private int replicas;

  /**
   * @param readBeforeAcquire read the channel before taking the lease (as a gate that verified against a
   *     snapshot would), so the version compare-and-set, not only fencing, has to catch the races
   */
  Hammer(ChannelLedger setup, String channelId, int threadsPerReplica, int attemptsPerThread,
      boolean readBeforeAcquire) {
    this.setup = setup;
    this.readBeforeAcquire = readBeforeAcquire;
    this.channelId = channelId;
    this.threadsPerReplica = threadsPerReplica;
    this.attemptsPerThread = attemptsPerThread;
  }

  void run(ChannelLedger... ledgers) throws InterruptedException {
    replicas = ledgers.length;
    ChannelState before = setup.upsertChannel(channelId, TestLedgers.CONFIG);
    List<Thread> threads = new ArrayList<>();
    for (int r = 0; r < ledgers.length; r++) {
      for (int t = 0; t < threadsPerReplica; t++) {
        ChannelLedger ledger = ledgers[r];
        String owner = "replica" + r + "-thread" + t;
        threads.add(Thread.ofPlatform().unstarted(() -> work(ledger, owner)));
      }
    }
    long start = System.nanoTime();
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    elapsedNanos = System.nanoTime() - start;
    failures.forEach(Throwable::printStackTrace);
    assertTrue(failures.isEmpty(), failures.size() + " workers failed, first: " + failures.peek());
    verify(before, setup.get(channelId).orElseThrow());
  }

  private void work(ChannelLedger ledger, String owner) {
    try {
      for (int i = 0; i < attemptsPerThread; i++) {
        attempt(ledger, owner);
      }
    } catch (Throwable e) {
      failures.add(e);
    }
  }

  private void attempt(ChannelLedger ledger, String owner) {
    ChannelState snapshot = readBeforeAcquire ? ledger.get(channelId).orElseThrow() : null;
    if (readBeforeAcquire) {
      // The time a gate spends verifying against its snapshot (a signature recovery is tens of µs). Without it, a
      // store that answers reads and leases from memory leaves no room between the read and the acquire for another
      // holder's charge, and the version compare-and-set would never be exercised.
      java.util.concurrent.locks.LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(100_000));
    }
    ChannelLease lease;
    try {
      lease = ledger.acquire(channelId, owner, TTL);
    } catch (ChannelBusyException e) {
      busy.incrementAndGet();
      java.util.concurrent.locks.LockSupport.parkNanos(200_000); // a client retrying after channel_busy
      return;
    }
    try {
      ChannelState s = readBeforeAcquire ? snapshot : ledger.get(channelId).orElseThrow();
      BigInteger inc = BigInteger.valueOf(1 + ThreadLocalRandom.current().nextInt(1000));
      BigInteger next = s.chargedCumulativeAmount().add(inc);
      switch (ledger.recordCharge(lease, s.version(), next, next, TestLedgers.signatureFor(next))) {
        case ChargeResult.Committed c -> accepted.add(new Accepted(c.state().version(), inc, next));
        case ChargeResult.Refused r when r.reason() == ChargeResult.Reason.STALE_VERSION -> refusedStale.incrementAndGet();
        case ChargeResult.Refused r when r.reason() == ChargeResult.Reason.LEASE_LOST -> refusedLeaseLost.incrementAndGet();
        case ChargeResult.Refused r -> throw new AssertionError("unexpected refusal " + r);
      }
    } finally {
      ledger.release(lease);
    }
  }

  private void verify(ChannelState before, ChannelState after) {
    List<Accepted> ordered = accepted.stream().sorted(Comparator.comparingLong(Accepted::version)).toList();
    BigInteger sum = ordered.stream().map(Accepted::increment).reduce(BigInteger.ZERO, BigInteger::add);
    assertEquals(after.chargedCumulativeAmount().subtract(before.chargedCumulativeAmount()), sum,
        "the channel's charge is the sum of the accepted increments");
    assertEquals(after.version() - before.version(), ordered.size(), "one version per accepted increment");
    BigInteger charged = before.chargedCumulativeAmount();
    long version = before.version();
    for (Accepted a : ordered) {
      version++;
      charged = charged.add(a.increment());
      assertEquals(version, a.version(), "two increments accepted from one version");
      assertEquals(charged, a.chargedAfter(), "an increment was applied on a stale base");
    }
  }

  int acceptedCount() {
    return accepted.size();
  }

  void report(String label) {
    double seconds = elapsedNanos / 1e9;
    System.out.printf("[ledger hammer] %s: %d replicas x %d threads, %d charges accepted in %.2f s (%.0f/s),"
            + " busy %d, stale %d, lease lost %d%n", label, replicas, threadsPerReplica, accepted.size(), seconds,
        accepted.size() / seconds, busy.get(), refusedStale.get(), refusedLeaseLost.get());
    assertTrue(accepted.size() > 0, "nothing was accepted");
  }
}
