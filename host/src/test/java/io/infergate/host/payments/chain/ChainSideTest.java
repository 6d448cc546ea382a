package io.infergate.host.payments.chain;

import static java.math.BigInteger.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.host.fixtures.ManualClock;
import io.infergate.host.fixtures.TestPostgres;
import io.infergate.host.leadership.AdvisoryLockElection;
import io.infergate.host.leadership.LeaderMetrics;
import io.infergate.host.leadership.LeaderRole;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.payments.ledger.ClaimSubmission;
import io.infergate.host.payments.ledger.LedgerTotals;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.wire.BatchSettlementError;
import io.infergate.x402.wire.SchemePayload.DepositPayload;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.tuples.generated.Tuple2;
import org.web3j.utils.Numeric;

/**
 * The chain side against a real anvil, the real contracts and a real SQLite ledger: deposits relayed by the
 * node, the watcher's mirror, batched claims and settlement, the dead-man rule, and restarts. Each test pays
 * its own fresh receiver, so balances and receiver totals are exact per test.
 */
class ChainSideTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static ChainTestbed bed;

  @TempDir Path dir;
  private Address receiver;
  private ManualClock clock;
  private ChannelLedger ledger;
  private WatcherCheckpoint checkpoint;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void startChain() {
    bed = new ChainTestbed();
  }

  @AfterAll
  static void stopChain() {
    bed.close();
  }

  @BeforeEach
  void freshNode() {
    receiver = PrivateKey.random().address();
    clock = new ManualClock(bed.chainInstant());
    openLedger();
  }

  private void openLedger() {
    ledger = SqliteChannelLedger.open(dir.resolve("ledger.db"), Clock.systemUTC());
    checkpoint = WatcherCheckpoint.in(ledger.database());
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    checkpoint.close();
    ledger.close();
  }

  private ChainWatcher watcher(ChannelLedger l, WatcherCheckpoint cp, ChainMetrics metrics) {
    ChainWatcher w = ChainWatcher.create(bed.settlement, l, cp, ChainWatcherOptions.defaults()
        .withPollInterval(Duration.ofMillis(50)).withReceivers(Set.of(receiver.toLowerHex())), metrics);
    open.add(w);
    return w;
  }

  private DepositSubmitter deposits() {
    return DepositSubmitter.create(bed.settlement, ledger, bed.sender,
        DepositOptions.defaults(bed.contracts.erc3009Collector()), clock);
  }

  private ClaimScheduler scheduler(ClaimSchedulerOptions options, ChainMetrics metrics) {
    ClaimScheduler s = ClaimScheduler.create(bed.settlement, ledger, bed.sender, bed.receiverAuthorizer, options,
        clock, metrics);
    open.add(s);
    return s;
  }

  /** A funded, deposited channel of a fresh consumer. */
  private record Opened(PrivateKey consumer, ChannelConfig config, String id) {}

  private Opened open(BigInteger amount) {
    PrivateKey consumer = bed.consumer();
    bed.mint(consumer.address(), amount);
    ChannelConfig c = bed.channel(consumer, receiver);
    DepositResult r = deposits().submit(bed.depositPayload(consumer, c, amount));
    return new Opened(consumer, c, r.channelId());
  }

  private Tuple2<BigInteger, BigInteger> onChain(String channelId) throws Exception {
    return bed.settlementAs(bed.facilitator).channels(Numeric.hexStringToByteArray(channelId)).send();
  }

  @Test
  void depositRelayedByTheNodeIsConfirmedAndMirroredByTheWatcher() throws Exception {
    PrivateKey consumer = bed.consumer();
    bed.mint(consumer.address(), valueOf(1_000_000));
    ChannelConfig c = bed.channel(consumer, receiver);
    DepositPayload payload = bed.depositPayload(consumer, c, valueOf(400_000));

    DepositResult r = deposits().submit(payload);

    assertEquals(bed.channelId(c), r.channelId());
    assertEquals(valueOf(400_000), r.balance(), "balance returned once confirmed");
    assertEquals(valueOf(400_000), onChain(r.channelId()).component1(), "on chain");
    assertEquals(valueOf(400_000), ledger.get(r.channelId()).orElseThrow().chain().balance(), "mirrored at once");

    // A second node that never saw the deposit learns it from the events alone.
    try (ChannelLedger other = SqliteChannelLedger.open(dir.resolve("other.db"), Clock.systemUTC());
         WatcherCheckpoint otherCp = WatcherCheckpoint.in(other.database())) {
      ChainWatcher w = watcher(other, otherCp, ChainMetrics.none());
      w.start();
      io.infergate.host.fixtures.Await.until("the watcher to mirror the deposit", WAIT, () -> other.get(r.channelId())
          .map(s -> s.chain().balance().equals(valueOf(400_000))).orElse(false));
      ChannelState mirrored = other.get(r.channelId()).orElseThrow();
      assertEquals(c.payer().toLowerHex(), mirrored.config().payer());
      assertEquals(c.salt().toString(), mirrored.config().salt());
      w.close();
    }

    // The same authorization again: refused by simulation, with the token's reason, nothing sent.
    SettlementTransactionException replay = assertThrows(SettlementTransactionException.class,
        () -> deposits().submit(payload));
    assertEquals(BatchSettlementError.DEPOSIT_SIMULATION_FAILED, replay.code());
    assertEquals("AuthorizationAlreadyUsed", replay.revertReason().orElseThrow());
    assertEquals(valueOf(400_000), onChain(r.channelId()).component1(), "nothing moved");
  }

  @Test
  void depositRefusalsCarryTheirX402Codes() {
    PrivateKey consumer = bed.consumer();
    ChannelConfig c = bed.channel(consumer, receiver);
    DepositPayload unfunded = bed.depositPayload(consumer, c, valueOf(5_000));
    SettlementTransactionException poor = assertThrows(SettlementTransactionException.class,
        () -> deposits().submit(unfunded));
    assertEquals(BatchSettlementError.DEPOSIT_SIMULATION_FAILED, poor.code());
    assertEquals("InsufficientBalance", poor.revertReason().orElseThrow());

    clock.advance(Duration.ofHours(2));
    SettlementTransactionException expired = assertThrows(SettlementTransactionException.class,
        () -> deposits().submit(unfunded));
    assertEquals(BatchSettlementError.PAYLOAD_AUTHORIZATION_VALID_BEFORE, expired.code());
    assertTrue(ledger.get(bed.channelId(c)).isEmpty(), "no channel recorded for a refused deposit");
  }

  /**
   * A claims leader whose lock connection was cut still believes it leads when its round starts; the round asks again
   * before sending and sends nothing while another replica holds the lock, and claims once it leads again.
   */
  @Test
  void aClaimsLeaderThatLostItsLockSendsNoClaim() throws Exception {
    Opened o = open(valueOf(100_000));
    ChainTestbed.charge(ledger, bed.settlement.domain(), o.consumer(), o.id(), valueOf(1_000), valueOf(500));
    String replicasDatabase = TestPostgres.freshSchemaUrl();    // the election's; this test's ledger stays SQLite
    AdvisoryLockElection mine = AdvisoryLockElection.create(replicasDatabase, LeaderRole.CLAIMS,
        LeaderMetrics.none(LeaderRole.CLAIMS));
    AdvisoryLockElection other = AdvisoryLockElection.create(replicasDatabase, LeaderRole.CLAIMS,
        LeaderMetrics.none(LeaderRole.CLAIMS));
    open.add(other);
    ClaimScheduler claims = ClaimScheduler.create(bed.settlement, ledger, bed.sender, bed.receiverAuthorizer,
        ClaimSchedulerOptions.defaults().withMinUnclaimed(BigInteger.ONE), clock, ChainMetrics.none(), mine);
    open.add(claims);
    assertTrue(mine.lead());
    TestPostgres.terminateBackend(mine.backendPid().orElseThrow());
    io.infergate.host.fixtures.Await.until("the other replica to take over", WAIT, other::lead);
    assertTrue(mine.leading(), "not asked since: it still believes it leads");

    ClaimRound lost = claims.runOnce();

    assertTrue(lost.confirmed().isEmpty() && lost.pending().isEmpty() && lost.failed().isEmpty(), lost.toString());
    assertTrue(ledger.claimsInFlight().isEmpty(), "nothing was submitted");
    assertEquals(BigInteger.ZERO, onChain(o.id()).component2());
    assertFalse(mine.leading());

    other.close();
    ClaimRound regained = claims.runOnce();
    assertEquals(1, regained.confirmed().size(), regained.toString());
    assertEquals(valueOf(1_000), onChain(o.id()).component2());
  }

  @Test
  void oneTransactionClaimsTwentyChannelsThenSettles() throws Exception {
    List<Opened> channels = new ArrayList<>();
    BigInteger sum = BigInteger.ZERO;
    for (int i = 0; i < 20; i++) {
      Opened o = open(valueOf(100_000));
      BigInteger charged = valueOf(1_000 + 37L * i);
      ChainTestbed.charge(ledger, bed.settlement.domain(), o.consumer(), o.id(), charged, valueOf(500));
      channels.add(o);
      sum = sum.add(charged);
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ChainMetrics metrics = ChainMetrics.create(registry);
    BigInteger before = bed.tokenBalance(receiver);

    ClaimRound round = scheduler(ClaimSchedulerOptions.defaults().withMinUnclaimed(BigInteger.ONE), metrics)
        .runOnce();

    assertEquals(1, round.confirmed().size(), "one claimWithSignature for all twenty: " + round);
    assertEquals(20, round.channelsClaimed());
    assertEquals(1, round.settlements().size(), "one settle for the (receiver, token)");
    for (int i = 0; i < 20; i++) {
      BigInteger charged = valueOf(1_000 + 37L * i);
      assertEquals(charged, onChain(channels.get(i).id()).component2(), "claimed the charge, not the voucher max");
      assertEquals(charged, ledger.get(channels.get(i).id()).orElseThrow().claim().confirmedUpTo());
    }
    assertEquals(before.add(sum), bed.tokenBalance(receiver), "receiver paid exactly the charges");
    BigInteger settleGas = bed.chain.web3j().ethGetTransactionReceipt(round.settlements().getFirst()).send()
        .getTransactionReceipt().orElseThrow().getGasUsed();
    System.out.printf("claimWithSignature of 20 channels: gas %s (%s per channel); settle: gas %s%n",
        round.claimGasUsed(), round.claimGasUsed().divide(valueOf(20)), settleGas);

    ChainWatcher w = watcher(ledger, checkpoint, metrics);
    w.pollOnce();
    LedgerTotals t = ledger.totals().stream()
        .filter(x -> x.token().equalsIgnoreCase(bed.contracts.token())).findFirst().orElseThrow();
    assertEquals(BigInteger.ZERO, t.unclaimed());
    assertEquals(sum, t.settled(), "settled mirrored from the Settled event");
    metrics.refreshTotals(ledger);
    assertEquals(sum.doubleValue(), registry.get("infergate_payments_settled_amount").gauge().value());
    assertEquals(1.0, registry.get("infergate_payments_claim_transactions").tag("outcome", "confirmed").counter()
        .count());
    assertEquals(0.0, registry.get("infergate_payments_chain_watcher_head_lag_blocks").gauge().value());
    assertTrue(scheduler(ClaimSchedulerOptions.defaults().withMinUnclaimed(BigInteger.ONE), metrics).runOnce()
        .confirmed().isEmpty(), "nothing left to claim");
  }

  @Test
  void deadManRuleClaimsBeforeAPendingWithdrawalEnds() throws Exception {
    Opened leaving = open(valueOf(50_000));
    Opened staying = open(valueOf(50_000));
    ChainTestbed.charge(ledger, bed.settlement.domain(), leaving.consumer(), leaving.id(), valueOf(3_000),
        valueOf(1_000));
    ChainTestbed.charge(ledger, bed.settlement.domain(), staying.consumer(), staying.id(), valueOf(2_000),
        valueOf(1_000));
    ChainWatcher w = watcher(ledger, checkpoint, ChainMetrics.none());
    w.start();

    BatchSettlement asPayer = bed.settlementAs(ChainTestbed.credentials(leaving.consumer()));
    asPayer.initiateWithdraw(DepositSubmitter.onChain(leaving.config()), valueOf(50_000)).send();
    long mined = System.nanoTime();
    io.infergate.host.fixtures.Await.until("the watcher to see the withdrawal", WAIT,
        () -> ledger.get(leaving.id()).orElseThrow().chain().withdrawalPending());
    System.out.printf("watcher lag (50 ms polling): withdrawal mirrored %d ms after its receipt, head lag %d blocks%n",
        (System.nanoTime() - mined) / 1_000_000, w.headLag());

    ClaimSchedulerOptions options = ClaimSchedulerOptions.defaults()
        .withMinUnclaimed(valueOf(1_000))     // both channels are over the threshold...
        .withGasPriceCap(BigInteger.ONE)      // ...but gas is "too expensive" for non-urgent claims
        .withWithdrawal(Duration.ofMinutes(5), Duration.ofMinutes(10));
    ClaimScheduler claims = scheduler(options, ChainMetrics.none());
    clock.set(bed.chainInstant());
    assertTrue(claims.acceptsVouchers(ledger.get(leaving.id()).orElseThrow(), clock.instant()), "15 min left");
    assertTrue(claims.acceptsVouchers(ledger.get(staying.id()).orElseThrow(), clock.instant()), "no withdrawal");
    ClaimRound early = claims.runOnce();
    assertTrue(early.confirmed().isEmpty(), "not urgent yet (deadline beyond the urgent window): " + early);
    assertEquals(2, early.deferred(), "both wait for cheaper gas");

    clock.advance(Duration.ofSeconds(WITHDRAW_DELAY - 299));
    assertFalse(claims.acceptsVouchers(ledger.get(leaving.id()).orElseThrow(), clock.instant()),
        "inside the safety margin: no new vouchers");
    ClaimRound urgent = claims.runOnce();
    assertEquals(1, urgent.confirmed().size(), "the urgent claim went despite the gas cap: " + urgent);
    assertEquals(1, urgent.channelsClaimed());
    assertEquals(1, urgent.deferred(), "the other channel waits for cheaper gas");
    assertEquals(valueOf(3_000), onChain(leaving.id()).component2());
    assertEquals(BigInteger.ZERO, onChain(staying.id()).component2());

    bed.chain.advanceTime(WITHDRAW_DELAY);
    BigInteger payerBefore = bed.tokenBalance(leaving.consumer().address());
    asPayer.finalizeWithdraw(DepositSubmitter.onChain(leaving.config())).send();
    assertEquals(payerBefore.add(valueOf(47_000)), bed.tokenBalance(leaving.consumer().address()),
        "the payer got back only what was not claimed");
    assertEquals(valueOf(3_000), bed.tokenBalance(receiver), "the claimed part stayed with the receiver");
    io.infergate.host.fixtures.Await.until("the watcher to see the finalized withdrawal", WAIT, () -> {
      ChannelState s = ledger.get(leaving.id()).orElseThrow();
      return !s.chain().withdrawalPending() && s.chain().balance().equals(valueOf(3_000));
    });
  }

  private static final long WITHDRAW_DELAY = ChainTestbed.WITHDRAW_DELAY;

  @Test
  void restartConfirmsInFlightClaimsFromReceiptsAndResumesTheWatcher() throws Exception {
    Opened a = open(valueOf(10_000));
    Opened b = open(valueOf(10_000));
    ChainTestbed.charge(ledger, bed.settlement.domain(), a.consumer(), a.id(), valueOf(700), BigInteger.ZERO);
    ChainTestbed.charge(ledger, bed.settlement.domain(), b.consumer(), b.id(), valueOf(900), BigInteger.ZERO);
    ChainWatcher first = watcher(ledger, checkpoint, ChainMetrics.none());
    long processed = first.pollOnce();

    ClaimSchedulerOptions options = ClaimSchedulerOptions.defaults().withMinUnclaimed(BigInteger.ONE);
    List<String> submitted = scheduler(options, ChainMetrics.none()).submitDue();
    assertEquals(1, submitted.size());
    assertEquals(2, ledger.claimsInFlight().size(), "recorded before broadcast");

    // "kill -9" after the broadcast: close everything and start a new node on the same database.
    closeAll();
    open.clear();
    openLedger();
    ChainWatcher second = watcher(ledger, checkpoint, ChainMetrics.none());
    assertEquals(processed, second.processedBlock(), "resumes from the stored block");
    ClaimScheduler restarted = scheduler(options, ChainMetrics.none());
    assertEquals(1, restarted.confirmInFlight(), "confirmed from its receipt");
    assertTrue(ledger.claimsInFlight().isEmpty());
    assertEquals(valueOf(700), ledger.get(a.id()).orElseThrow().claim().confirmedUpTo());
    assertEquals(valueOf(900), ledger.get(b.id()).orElseThrow().claim().confirmedUpTo());
    assertTrue(second.pollOnce() > processed);
    assertEquals(valueOf(900), ledger.get(b.id()).orElseThrow().chain().totalClaimed(), "claim mirrored");

    // A crash between recording a claim and broadcasting it: the chain never heard of the transaction.
    ChainTestbed.charge(ledger, bed.settlement.domain(), a.consumer(), a.id(), valueOf(50), BigInteger.ZERO);
    String ghost = "0x" + "ab".repeat(32);
    ledger.markClaimSubmitted(List.of(new ClaimSubmission(a.id(), valueOf(750))), ghost);
    assertEquals(1, restarted.confirmInFlight(), "the ghost is failed, not waited for forever");
    assertTrue(ledger.get(a.id()).orElseThrow().claim().lastError().orElseThrow().contains("does not know"));
    assertTrue(restarted.backoffReason(a.id()).isPresent(), "backs off before retrying");
    assertTrue(restarted.runOnce().confirmed().isEmpty(), "not before the backoff ends");
    clock.advance(ClaimSchedulerOptions.DEFAULT_BACKOFF_BASE);
    ClaimRound retry = restarted.runOnce();
    assertEquals(1, retry.confirmed().size(), "claimable again and claimed: " + retry);
    assertEquals(valueOf(750), onChain(a.id()).component2());
  }
}
