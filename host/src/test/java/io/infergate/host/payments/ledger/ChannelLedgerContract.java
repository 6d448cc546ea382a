package io.infergate.host.payments.ledger;

import static io.infergate.host.payments.ledger.TestLedgers.CONFIG;
import static io.infergate.host.payments.ledger.TestLedgers.channelId;
import static io.infergate.host.payments.ledger.TestLedgers.signatureFor;
import static io.infergate.host.payments.ledger.TestLedgers.txHash;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.ManualClock;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ChannelLedger} keeps, run against each real store by a subclass. Each test
 * gets fresh storage. {@link #replica} is another instance on the same storage where the store allows several
 * live ones (PostgreSQL replicas), and the one instance where it does not (a SQLite file belongs to one instance:
 * the cross-instance lease tests then run on PostgreSQL only in substance); {@link #restart} closes every instance
 * and opens the storage again.
 */
abstract class ChannelLedgerContract {
  static final Duration TTL = Duration.ofSeconds(30);
  static final String ID = channelId(1);
  private static final BigInteger UINT128_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  protected final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<ChannelLedger> opened = new ArrayList<>();
  protected ChannelLedger ledger;

  /** Prepares fresh, empty storage for one test and returns its spec for {@link TestLedgers#open}. */
  protected abstract String freshStorage() throws Exception;

  /** Whether several live instances may share the storage (PostgreSQL), or only one may have it open (SQLite). */
  protected abstract boolean instancesShareStorage();

  private String spec;

  @BeforeEach
  void openLedger() throws Exception {
    spec = freshStorage();
    ledger = open();
  }

  @AfterEach
  void closeLedgers() {
    closeAll();
  }

  protected String spec() {
    return spec;
  }

  protected ChannelLedger open() {
    return open(clock);
  }

  private ChannelLedger open(java.time.Clock c) {
    ChannelLedger l = TestLedgers.open(spec, c);
    opened.add(l);
    return l;
  }

  /** Another live instance on the same storage, as a replica would have; the same instance if only one may exist. */
  protected ChannelLedger replica() {
    return instancesShareStorage() ? open() : ledger;
  }

  /** Closes every instance (a node stopping), then opens the storage again as {@link #ledger}. */
  protected ChannelLedger restart() {
    return restart(clock);
  }

  private ChannelLedger restart(java.time.Clock c) {
    closeAll();
    ledger = open(c);
    return ledger;
  }

  private void closeAll() {
    opened.forEach(ChannelLedger::close);
    opened.clear();
  }

  private ChargeResult charge(ChannelLease lease, long version, long charged, long max) {
    return ledger.recordCharge(lease, version, BigInteger.valueOf(charged), BigInteger.valueOf(max),
        signatureFor(BigInteger.valueOf(max)));
  }

  private ChargeResult.Reason refusal(ChargeResult r) {
    return assertInstanceOf(ChargeResult.Refused.class, r).reason();
  }

  // ---- leases

  @Test
  void secondAcquireWhileHeldIsBusyAtOnce() {
    ChannelLease first = ledger.acquire(ID, "a", TTL);
    ChannelBusyException busy = assertThrows(ChannelBusyException.class, () -> ledger.acquire(ID, "b", TTL));
    assertEquals(first.expiresAt(), busy.heldUntil());
    assertThrows(ChannelBusyException.class, () -> replica().acquire(ID, "c", TTL), "other replicas see it too");
  }

  @Test
  void acquireAndGetLeasesAndReadsInOneStep() {
    ChannelLedger.Leased unknown = ledger.acquireAndGet(ID, "a", TTL);
    assertTrue(unknown.state().isEmpty(), "a channel the ledger does not know yet can be leased (deposits)");
    assertThrows(ChannelBusyException.class, () -> replica().acquireAndGet(ID, "b", TTL));
    ledger.upsertChannel(ID, CONFIG);
    assertTrue(charge(unknown.lease(), 1, 10, 10).committed());
    ledger.release(unknown.lease());
    ChannelLedger.Leased known = replica().acquireAndGet(ID, "b", TTL);
    assertTrue(known.lease().fencingToken() > unknown.lease().fencingToken());
    assertEquals(ledger.get(ID), known.state());
  }

  @Test
  void releasedChannelIsFreeAtOnceWithAHigherFencingToken() {
    ChannelLease first = ledger.acquire(ID, "a", TTL);
    ledger.release(first);
    ChannelLease second = ledger.acquire(ID, "b", TTL);
    assertTrue(second.fencingToken() > first.fencingToken());
    ledger.release(first); // stale release: must not free the new holder's lease
    assertThrows(ChannelBusyException.class, () -> ledger.acquire(ID, "c", TTL));
  }

  @Test
  void aCommittedChargeCanReleaseItsLeaseInTheSameTransaction() {
    ledger.upsertChannel(ID, CONFIG);
    ChannelLease lease = ledger.acquire(ID, "a", TTL);
    long version = ledger.get(ID).orElseThrow().version();
    ChargeResult refused = ledger.recordChargeAndRelease(lease, version + 7, BigInteger.TEN, BigInteger.TEN,
        signatureFor(BigInteger.TEN));
    assertEquals(ChargeResult.Reason.STALE_VERSION, refusal(refused));
    assertThrows(ChannelBusyException.class, () -> ledger.acquire(ID, "b", TTL), "a refused charge keeps the lease");
    assertTrue(ledger.recordChargeAndRelease(lease, version, BigInteger.TEN, BigInteger.TEN,
        signatureFor(BigInteger.TEN)).committed());
    assertEquals(BigInteger.TEN, ledger.get(ID).orElseThrow().chargedCumulativeAmount());
    ChannelLease next = replica().acquire(ID, "b", TTL);
    assertTrue(next.fencingToken() > lease.fencingToken(), "free at once, for any replica");
  }

  @Test
  void crashedHoldersLeaseExpiresByItself() {
    ledger.acquire(ID, "crashed", TTL);
    clock.advance(TTL.minusMillis(1));
    assertThrows(ChannelBusyException.class, () -> ledger.acquire(ID, "b", TTL));
    clock.advance(Duration.ofMillis(1));
    assertEquals("b", ledger.acquire(ID, "b", TTL).owner());
  }

  @Test
  void staleHolderCannotCommitAfterTakeover() {
    ledger.upsertChannel(ID, CONFIG);
    ChannelLease stale = ledger.acquire(ID, "stalled", TTL);
    long version = ledger.get(ID).orElseThrow().version();
    clock.advance(TTL.plusSeconds(1));
    ChannelLease fresh = replica().acquire(ID, "new", TTL);

    assertEquals(ChargeResult.Reason.LEASE_LOST, refusal(charge(stale, version, 10, 10)));
    assertTrue(ledger.renew(stale, TTL).isEmpty());
    assertTrue(charge(fresh, version, 10, 10).committed());
    assertEquals(BigInteger.TEN, ledger.get(ID).orElseThrow().chargedCumulativeAmount());
  }

  @Test
  void expiredLeaseNobodyTookOverStillCommits() {
    ledger.upsertChannel(ID, CONFIG);
    ChannelLease lease = ledger.acquire(ID, "slow", TTL);
    clock.advance(TTL.multipliedBy(3));
    assertTrue(charge(lease, 1, 5, 5).committed());
  }

  @Test
  void renewExtendsTheCurrentLease() {
    ChannelLease lease = ledger.acquire(ID, "a", TTL);
    clock.advance(TTL.minusSeconds(1));
    ChannelLease renewed = ledger.renew(lease, TTL).orElseThrow();
    assertEquals(lease.fencingToken(), renewed.fencingToken());
    clock.advance(Duration.ofSeconds(2));
    assertThrows(ChannelBusyException.class, () -> ledger.acquire(ID, "b", TTL));
  }

  // ---- charges

  @Test
  void chargeCommitsVoucherAndBumpsVersion() {
    ChannelState created = ledger.upsertChannel(ID, CONFIG);
    assertEquals(1, created.version());
    assertTrue(created.voucher().isEmpty());
    ChannelLease lease = ledger.acquire(ID, "a", TTL);

    ChargeResult.Committed c = assertInstanceOf(ChargeResult.Committed.class, charge(lease, 1, 700, 1000));
    ChannelState read = ledger.get(ID).orElseThrow();
    assertEquals(c.state(), read);
    assertEquals(2, read.version());
    assertEquals(BigInteger.valueOf(700), read.chargedCumulativeAmount());
    assertEquals(BigInteger.valueOf(1000), read.signedMaxClaimable());
    assertArrayEquals(signatureFor(BigInteger.valueOf(1000)), read.voucher().orElseThrow().signature());
    assertEquals(CONFIG, read.config());
  }

  @Test
  void aDeferredChargeIsCommittedAtOnceAndReportsWhenItIsOnDisk() throws Exception {
    ledger.upsertChannel(ID, CONFIG);
    ChannelLease lease = ledger.acquire(ID, "a", TTL);
    ChargeResult r = ledger.recordChargeAndReleaseDeferred(lease, 1, BigInteger.TEN, BigInteger.TEN,
        signatureFor(BigInteger.TEN), ChargeHook.NONE);
    ChargeResult.Committed c = assertInstanceOf(ChargeResult.Committed.class, r);
    assertEquals(c.state(), ledger.get(ID).orElseThrow(), "visible at once, before the fsync");
    assertEquals(BigInteger.TEN, replica().get(ID).orElseThrow().chargedCumulativeAmount(), "to other instances too");
    c.durable().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(replica().acquire(ID, "b", TTL).fencingToken() > lease.fencingToken(), "the lease went with the charge");

    ChargeResult stale = ledger.recordChargeAndReleaseDeferred(lease, 1, BigInteger.TWO, BigInteger.TEN,
        signatureFor(BigInteger.TEN), ChargeHook.NONE);
    assertEquals(ChargeResult.Reason.LEASE_LOST, refusal(stale));
  }

  @Test
  void secondCommitFromTheSameVersionIsRefused() {
    ledger.upsertChannel(ID, CONFIG);
    ChannelLease lease = ledger.acquire(ID, "a", TTL);
    assertTrue(charge(lease, 1, 10, 10).committed());
    ChargeResult again = charge(lease, 1, 20, 20);
    assertEquals(ChargeResult.Reason.STALE_VERSION, refusal(again));
    assertEquals(2, assertInstanceOf(ChargeResult.Refused.class, again).current().orElseThrow().version());
    assertEquals(BigInteger.TEN, ledger.get(ID).orElseThrow().chargedCumulativeAmount());
  }

  @Test
  void chargesThatBreakTheVoucherRulesAreRefused() {
    ledger.upsertChannel(ID, CONFIG);
    ChannelLease lease = ledger.acquire(ID, "a", TTL);
    assertTrue(charge(lease, 1, 100, 150).committed());
    assertEquals(ChargeResult.Reason.CUMULATIVE_DECREASED, refusal(charge(lease, 2, 99, 150)));
    assertEquals(ChargeResult.Reason.CHARGE_EXCEEDS_VOUCHER, refusal(charge(lease, 2, 200, 199)));
    // a zero-charge voucher (cooperative refund) is fine, and may lower the signed maximum to the charge
    assertTrue(charge(lease, 2, 100, 100).committed());
    ChannelLease other = ledger.acquire(channelId(2), "a", TTL);
    assertEquals(ChargeResult.Reason.CHANNEL_NOT_FOUND, refusal(charge(other, 1, 1, 1)));
    assertEquals(BigInteger.valueOf(100), ledger.get(ID).orElseThrow().chargedCumulativeAmount());
  }

  @Test
  void amountsAreExactUpToUint128Max() {
    ledger.upsertChannel(ID, CONFIG);
    ChannelLease lease = ledger.acquire(ID, "a", TTL);
    BigInteger almost = UINT128_MAX.subtract(BigInteger.ONE);
    assertTrue(ledger.recordCharge(lease, 1, almost, UINT128_MAX, signatureFor(UINT128_MAX)).committed());
    ChannelState s = ledger.get(ID).orElseThrow();
    assertEquals(almost, s.chargedCumulativeAmount());
    assertEquals(UINT128_MAX, s.signedMaxClaimable());
    assertThrows(IllegalArgumentException.class, () -> ledger.recordCharge(lease, 2, UINT128_MAX.add(BigInteger.ONE),
        UINT128_MAX.add(BigInteger.ONE), signatureFor(BigInteger.ONE)));
  }

  @Test
  void badInputIsRefusedWithItsName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ledger.get("0x1234"));
    assertTrue(e.getMessage().contains("channelId"), e.getMessage());
    ledger.upsertChannel(ID, CONFIG);
    ChannelLease lease = ledger.acquire(ID, "a", TTL);
    assertThrows(IllegalArgumentException.class,
        () -> ledger.recordCharge(lease, 1, BigInteger.ONE, BigInteger.ONE, new byte[64]));
    assertThrows(IllegalArgumentException.class, () -> ledger.acquire(ID, "a", Duration.ZERO));
    assertEquals(1, ledger.get(ID).orElseThrow().version());
  }

  @Test
  void voucherSignerIsCachedWithoutDisturbingCharges() {
    ledger.upsertChannel(ID, CONFIG);
    ledger.cacheVoucherSigner(ID, "0x2222222222222222222222222222222222222222");
    ChannelState s = ledger.get(ID).orElseThrow();
    assertEquals("0x2222222222222222222222222222222222222222", s.voucherSigner().orElseThrow());
    assertEquals(1, s.version());
  }

  // ---- chain watcher

  @Test
  void replicasInsertingTheSameNewChannelAtOnceAllGetIt() throws Exception {
    ChannelLedger other = replica();
    int threads = 8;
    for (int round = 0; round < 5; round++) {
      String id = channelId(500 + round);
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
      List<java.util.concurrent.Future<ChannelState>> upserts = new ArrayList<>();
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
        for (int t = 0; t < threads; t++) {
          ChannelLedger replica = t % 2 == 0 ? ledger : other;
          upserts.add(pool.submit(() -> {
            start.await();
            return replica.upsertChannel(id, CONFIG);
          }));
        }
        for (var u : upserts) {
          ChannelState s = u.get(60, java.util.concurrent.TimeUnit.SECONDS);
          assertEquals(1, s.version());
          assertEquals(CONFIG, s.config());
        }
      }
    }
  }

  @Test
  void upsertIsIdempotentAndRefusesADifferentConfig() {
    ChannelState first = ledger.upsertChannel(ID, CONFIG);
    assertEquals(first, ledger.upsertChannel(ID.toUpperCase().replace("0X", "0x"), CONFIG));
    LedgerException e = assertThrows(LedgerException.class,
        () -> ledger.upsertChannel(ID, TestLedgers.config("0x00000000000000000000000000000000000000bb")));
    assertTrue(e.getMessage().contains("already known"), e.getMessage());
  }

  @Test
  void chainStateIgnoresOlderBlocksAndInvalidatesVerifiedVouchers() {
    ledger.upsertChannel(ID, CONFIG);
    assertTrue(ledger.applyChainState(ID, BigInteger.valueOf(5000), BigInteger.ZERO, 0, BigInteger.ZERO, 10));
    assertFalse(ledger.applyChainState(ID, BigInteger.valueOf(5000), BigInteger.ZERO, 0, BigInteger.ZERO, 10));
    assertFalse(ledger.applyChainState(ID, BigInteger.valueOf(1), BigInteger.ZERO, 0, BigInteger.ZERO, 9));
    ChannelState s = ledger.get(ID).orElseThrow();
    assertEquals(new ChainState(BigInteger.valueOf(5000), BigInteger.ZERO, 0, BigInteger.ZERO, 10), s.chain());
    assertEquals(2, s.version());

    ChannelLease lease = ledger.acquire(ID, "a", TTL);
    long verifiedAt = s.version();
    ledger.applyChainState(ID, BigInteger.valueOf(100), BigInteger.ZERO, 1_767_225_600, BigInteger.ONE, 11);
    assertEquals(ChargeResult.Reason.STALE_VERSION, refusal(charge(lease, verifiedAt, 10, 10)));
    assertFalse(ledger.applyChainState(channelId(9), BigInteger.ONE, BigInteger.ZERO, 0, BigInteger.ZERO, 1));
  }

  // ---- claims

  private void chargedChannel(int n, long charged, long withdrawRequestedAt, String token) {
    String id = channelId(n);
    ledger.upsertChannel(id, TestLedgers.config(token));
    ledger.applyChainState(id, BigInteger.valueOf(1_000_000), BigInteger.ZERO, withdrawRequestedAt, BigInteger.ZERO, 1);
    ChannelLease lease = ledger.acquire(id, "t", TTL);
    ChannelState s = ledger.get(id).orElseThrow();
    assertTrue(charge(lease, s.version(), charged, charged).committed());
    ledger.release(lease);
  }

  @Test
  void claimableListsPendingWithdrawalsFirstThenLargestAmounts() {
    String token = CONFIG.token();
    chargedChannel(1, 50, 0, token);
    chargedChannel(2, 500, 0, token);
    chargedChannel(3, 5, 1_000, token);   // deadline 1_900
    chargedChannel(4, 7, 500, token);     // deadline 1_400
    ledger.upsertChannel(channelId(5), CONFIG); // nothing charged

    List<String> ids = ledger.claimable(BigInteger.valueOf(40), Instant.ofEpochSecond(2_000), 10).stream()
        .map(ChannelState::channelId).toList();
    assertEquals(List.of(channelId(4), channelId(3), channelId(2), channelId(1)), ids);

    ids = ledger.claimable(BigInteger.valueOf(100), Instant.ofEpochSecond(1_500), 10).stream()
        .map(ChannelState::channelId).toList();
    assertEquals(List.of(channelId(4), channelId(2)), ids, "small amounts wait unless their deadline is due");
    assertEquals(1, ledger.claimable(BigInteger.ONE, Instant.EPOCH, 1).size());
  }

  @Test
  void claimLifecycleSurvivesReopenAndFailuresMakeChannelsClaimableAgain() {
    String token = CONFIG.token();
    chargedChannel(1, 50, 0, token);
    chargedChannel(2, 70, 0, token);
    ledger.markClaimSubmitted(List.of(new ClaimSubmission(channelId(1), BigInteger.valueOf(50)),
        new ClaimSubmission(channelId(2), BigInteger.valueOf(70))), txHash(1));
    assertTrue(ledger.claimable(BigInteger.ONE, Instant.EPOCH, 10).isEmpty(), "in flight: not claimable again");

    ChannelLedger restarted = restart();
    assertEquals(List.of(channelId(1), channelId(2)),
        restarted.claimsInFlight().stream().map(ChannelState::channelId).toList());
    assertEquals(2, restarted.markClaimFailed(txHash(1), "reverted: gas"));
    ChannelState failed = restarted.get(channelId(1)).orElseThrow();
    assertEquals("reverted: gas", failed.claim().lastError().orElseThrow());
    assertEquals(1, failed.claim().attempts());
    assertEquals(2, restarted.claimable(BigInteger.ONE, Instant.EPOCH, 10).size());

    restarted.markClaimSubmitted(List.of(new ClaimSubmission(channelId(1), BigInteger.valueOf(50))), txHash(2));
    assertEquals(1, restarted.markClaimConfirmed(txHash(2)));
    ChannelState confirmed = restarted.get(channelId(1)).orElseThrow();
    assertEquals(BigInteger.ZERO, confirmed.unclaimed());
    assertEquals(0, confirmed.claim().attempts());
    assertTrue(confirmed.claim().txHash().isEmpty());
    assertEquals(List.of(channelId(2)),
        restarted.claimable(BigInteger.ONE, Instant.EPOCH, 10).stream().map(ChannelState::channelId).toList());
  }

  @Test
  void replacementsOfAClaimAreRememberedAcrossRestartsUntilItIsResolved() {
    chargedChannel(1, 50, 0, CONFIG.token());
    chargedChannel(2, 70, 0, CONFIG.token());
    ledger.markClaimSubmitted(List.of(new ClaimSubmission(channelId(1), BigInteger.valueOf(50)),
        new ClaimSubmission(channelId(2), BigInteger.valueOf(70))), txHash(1));
    assertEquals(List.of(txHash(1)), ledger.claimTransactions(txHash(1)), "the original is a candidate");
    ledger.markClaimReplaced(txHash(1), txHash(2));
    ledger.markClaimReplaced(txHash(1), txHash(3));
    ledger.markClaimReplaced(txHash(1), txHash(3));   // recorded once

    ChannelLedger restarted = restart();
    assertEquals(List.of(txHash(1), txHash(2), txHash(3)), restarted.claimTransactions(txHash(1)),
        "every hash that may land, original first");
    assertEquals(txHash(1), restarted.get(channelId(1)).orElseThrow().claim().txHash().orElseThrow(),
        "the claim keeps its original hash as its key");
    LedgerException unknown = assertThrows(LedgerException.class,
        () -> restarted.markClaimReplaced(txHash(9), txHash(10)));
    assertTrue(unknown.getMessage().contains("no claim is in flight"), unknown.getMessage());
    assertTrue(restarted.claimTransactions(txHash(9)).isEmpty());

    assertEquals(2, restarted.markClaimConfirmed(txHash(2)), "a replacement's hash confirms the claim");
    assertEquals(BigInteger.valueOf(70), restarted.get(channelId(2)).orElseThrow().claim().confirmedUpTo());
    assertTrue(restarted.claimsInFlight().isEmpty());
    assertTrue(restarted.claimTransactions(txHash(1)).isEmpty(), "forgotten once resolved");
    assertThrows(LedgerException.class, () -> restarted.markClaimReplaced(txHash(1), txHash(4)),
        "a resolved claim cannot be replaced");

    chargeMore(restarted, 1, 60);
    restarted.markClaimSubmitted(List.of(new ClaimSubmission(channelId(1), BigInteger.valueOf(60))), txHash(5));
    restarted.markClaimReplaced(txHash(5), txHash(6));
    assertEquals(1, restarted.markClaimFailed(txHash(6), "dropped"), "a replacement's hash fails the claim too");
    assertEquals("dropped", restarted.get(channelId(1)).orElseThrow().claim().lastError().orElseThrow());
    assertTrue(restarted.claimTransactions(txHash(5)).isEmpty());
  }

  /** One more charge on a channel of {@link #chargedChannel}, up to {@code charged} in total. */
  private void chargeMore(ChannelLedger l, int n, long charged) {
    ChannelLease lease = l.acquire(channelId(n), "t", TTL);
    ChannelState s = l.get(channelId(n)).orElseThrow();
    assertTrue(l.recordCharge(lease, s.version(), BigInteger.valueOf(charged), BigInteger.valueOf(charged),
        signatureFor(BigInteger.valueOf(charged))).committed());
    l.release(lease);
  }

  @Test
  void claimSubmissionIsAllOrNothing() {
    chargedChannel(1, 50, 0, CONFIG.token());
    chargedChannel(2, 70, 0, CONFIG.token());
    ledger.markClaimSubmitted(List.of(new ClaimSubmission(channelId(2), BigInteger.valueOf(70))), txHash(1));
    assertThrows(LedgerException.class, () -> ledger.markClaimSubmitted(List.of(
        new ClaimSubmission(channelId(1), BigInteger.valueOf(50)),
        new ClaimSubmission(channelId(2), BigInteger.valueOf(70))), txHash(2)));
    assertTrue(ledger.get(channelId(1)).orElseThrow().claim().txHash().isEmpty());
    assertThrows(LedgerException.class, () -> ledger.markClaimSubmitted(
        List.of(new ClaimSubmission(channelId(1), BigInteger.valueOf(51))), txHash(3)), "above what was charged");
  }

  @Test
  void totalsArePerToken() {
    String a = CONFIG.token();
    String b = "0x00000000000000000000000000000000000000bb";
    chargedChannel(1, 50, 0, a);
    chargedChannel(2, 70, 0, a);
    chargedChannel(3, 9, 0, b);
    ledger.applyChainState(channelId(2), BigInteger.valueOf(1_000_000), BigInteger.valueOf(30), 0, BigInteger.ZERO, 5);
    ledger.applyReceiverState(CONFIG.receiver(), a, BigInteger.valueOf(30), BigInteger.valueOf(20), 5);
    ledger.applyReceiverState(CONFIG.receiver(), a, BigInteger.valueOf(0), BigInteger.valueOf(0), 4); // older

    assertEquals(List.of(
            new LedgerTotals(a, BigInteger.valueOf(120), BigInteger.valueOf(90), BigInteger.valueOf(30),
                BigInteger.valueOf(20), 2),
            new LedgerTotals(b, BigInteger.valueOf(9), BigInteger.valueOf(9), BigInteger.ZERO, BigInteger.ZERO, 1)),
        ledger.totals());
  }

  // ---- concurrency

  /** Two replicas, four threads each, one channel; leases held normally (busy answers are retried). */
  @Test
  void twoReplicasHammeringOneChannelNeverAcceptAnIncrementTwice() throws Exception {
    Hammer h = new Hammer(ledger, ID, 4, hammerAttempts(), false);
    h.run(replica(), replica());
    h.report(getClass().getSimpleName() + " leases held");
  }

  /**
   * The same with leases that are always already expired (a clock that jumps past the TTL on every read):
   * every acquire takes the channel over, and each thread reads the channel before taking it, so only
   * fencing and the version CAS stand between the racing holders and a double acceptance.
   */
  @Test
  void racingHoldersWithExpiredLeasesStillNeverAcceptAnIncrementTwice() throws Exception {
    java.time.Clock jumping = new java.time.Clock() {
      private final java.util.concurrent.atomic.AtomicLong t = new java.util.concurrent.atomic.AtomicLong();

      @Override
      public long millis() {
        return t.addAndGet(TTL.toMillis() + 1);
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(millis());
      }

      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
    ChannelLedger a = restart(jumping);
    ChannelLedger b = instancesShareStorage() ? open(jumping) : a;
    Hammer h = new Hammer(a, ID, 4, hammerAttempts(), true);
    h.run(a, b);
    h.report(getClass().getSimpleName() + " leases always expired");
    assertTrue(h.refusedLeaseLost.get() > 0 && h.refusedStale.get() > 0,
        "the races never happened (lease lost " + h.refusedLeaseLost + ", stale " + h.refusedStale + "); raise attempts");
  }

  /** Attempts per thread; stores with slow commits may lower it. */
  protected int hammerAttempts() {
    return 100;
  }

  // ---- crashes

  /**
   * A child JVM charging the channel is killed with {@code kill -9} mid-charge. Where instances share the storage, the
   * dead child's lease stays until it expires; where one process owns it (SQLite), the child's lease died with it, and
   * the OS lock it held on the file is gone, so the file opens at once.
   */
  @Test
  void killNineLosesNoCommittedChargeAndTheLeaseExpiresByItself() throws Exception {
    ledger.upsertChannel(ID, CONFIG);
    long leaseSeconds = 60;
    for (int round = 0; round < 2; round++) {
      if (!instancesShareStorage()) {
        closeAll();     // the child must own the file
      }
      CrashRun run = CrashRun.start(spec, ID, "child-" + round, leaseSeconds, 150 + 100 * round);
      ChannelLedger reopened = open();      // on SQLite, this is the test that the dead child's lock went with it
      ChannelState s = reopened.get(ID).orElseThrow();
      System.out.printf("[ledger crash] %s round %d: child killed after reporting %d charges (last version %d);"
          + " reopened at version %d%n", getClass().getSimpleName(), round, run.reported(), run.lastVersion(), s.version());
      assertTrue(s.version() >= run.lastVersion() && s.version() <= run.lastVersion() + 1,
          "reported " + run.lastVersion() + ", found " + s.version());
      // one charge of 1 per version since version 1, each voucher exactly 5 above its charge: nothing torn
      assertEquals(BigInteger.valueOf(s.version() - 1), s.chargedCumulativeAmount());
      BigInteger max = s.chargedCumulativeAmount().add(BigInteger.valueOf(5));
      assertEquals(max, s.signedMaxClaimable());
      assertArrayEquals(signatureFor(max), s.voucher().orElseThrow().signature());

      if (!instancesShareStorage()) {
        reopened.release(reopened.acquire(ID, "parent", TTL));     // a restart has no live holders
        continue;
      }
      // the dead child still "holds" the channel until its lease runs out; no manual unlock
      assertThrows(ChannelBusyException.class, () -> reopened.acquire(ID, "parent", TTL));
      ChannelLedger later = TestLedgers.open(spec,
          java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofSeconds(leaseSeconds + 1)));
      opened.add(later);
      ChannelLease taken = later.acquire(ID, "parent", TTL);
      assertTrue(taken.fencingToken() > run.childFencingToken());
      later.release(taken);
    }
  }

  // ---- schema

  @Test
  void reopeningKeepsDataAndSchemaVersion() throws Exception {
    ChannelState before = ledger.upsertChannel(ID, CONFIG);
    ChannelLedger again = restart();
    assertEquals(Optional.of(before), again.get(ID));
    assertEquals(List.of(1, 2, 3, 4), schemaVersions());
  }

  @Test
  void aVersionOneDatabaseUpgradesKeepingCheckpointAndClaimInFlight() throws Exception {
    chargedChannel(1, 50, 0, CONFIG.token());
    ledger.markClaimSubmitted(List.of(new ClaimSubmission(channelId(1), BigInteger.valueOf(50))), txHash(1));
    closeAll();
    // Back to what version 1 left: its tables, and the checkpoint table the chain watcher used to create itself.
    sql("DROP TABLE sent_transactions");
    sql("DROP TABLE ledger_claim_txs");
    sql("DROP TABLE chain_watcher_progress");
    sql("DELETE FROM schema_version WHERE version > 1");
    sql("CREATE TABLE IF NOT EXISTS chain_watcher_progress (watcher TEXT PRIMARY KEY,"
        + " block BIGINT NOT NULL, block_hash TEXT NOT NULL, updated_at_ms BIGINT NOT NULL)");
    sql("INSERT INTO chain_watcher_progress VALUES ('31337:0xabc', 42, '0x" + "42".repeat(32) + "', 1)");
    assertEquals(List.of(1), schemaVersions());

    ChannelLedger upgraded = open();

    assertEquals(List.of(1, 2, 3, 4), schemaVersions());
    assertEquals(List.of(txHash(1)), upgraded.claimTransactions(txHash(1)), "the claim in flight is a candidate");
    assertEquals(BigInteger.valueOf(50), upgraded.get(channelId(1)).orElseThrow().claim().submittedUpTo());
    long block = upgraded.database().read(c -> {
      try (java.sql.Statement s = c.createStatement();
           java.sql.ResultSet rs = s.executeQuery("SELECT block FROM chain_watcher_progress WHERE watcher = '31337:0xabc'")) {
        assertTrue(rs.next(), "the checkpoint row survived the upgrade");
        return rs.getLong(1);
      }
    });
    assertEquals(42, block);
    upgraded.markClaimReplaced(txHash(1), txHash(2));
    assertEquals(1, upgraded.markClaimConfirmed(txHash(2)));
    restart();
    assertEquals(List.of(1, 2, 3, 4), schemaVersions(), "opening again migrates nothing");
  }

  @Test
  void aDatabaseFromANewerInfergateIsRefused() throws Exception {
    sql("INSERT INTO schema_version (component, version, description, applied_at_ms) VALUES ('ledger', 99, 'x', 0)");
    closeAll();
    LedgerException e = assertThrows(LedgerException.class, this::open);
    assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
  }

  private java.sql.Connection connect() throws java.sql.SQLException {
    if (spec.startsWith("sqlite")) {
      return java.sql.DriverManager.getConnection("jdbc:sqlite:" + spec.substring(spec.indexOf(':') + 1));
    }
    return java.sql.DriverManager.getConnection(spec.substring("postgres:".length()));
  }

  /**
   * Runs {@code work} on the open ledger's own connection (a SQLite ledger holds its file exclusively), or on a
   * connection of its own once every ledger of the test is closed.
   */
  private <T> T onDatabase(LedgerDatabase.Work<T> work) throws java.sql.SQLException {
    if (!opened.isEmpty()) {
      return opened.get(opened.size() - 1).database().write(work);     // the newest open ledger
    }
    try (java.sql.Connection c = connect()) {
      return work.run(c);
    }
  }

  private void sql(String statement) throws java.sql.SQLException {
    onDatabase(c -> {
      try (java.sql.Statement s = c.createStatement()) {
        return s.execute(statement);
      }
    });
  }

  private List<Integer> schemaVersions() throws java.sql.SQLException {
    return onDatabase(c -> {
      List<Integer> out = new ArrayList<>();
      try (java.sql.Statement s = c.createStatement();
           java.sql.ResultSet rs = s.executeQuery(
               "SELECT version FROM schema_version WHERE component = 'ledger' ORDER BY version")) {
        while (rs.next()) {
          out.add(rs.getInt(1));
        }
      }
      return out;
    });
  }
}
