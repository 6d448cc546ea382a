package io.infergate.host.payments.chain;

import static java.math.BigInteger.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.contracts.devchain.DevChain;
import io.infergate.host.fixtures.ManualClock;
import io.infergate.host.fixtures.TestPostgres;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.payments.ledger.PostgresChannelLedger;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.wire.BatchSettlementError;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What goes wrong on the chain side: bad vouchers in a batch, stuck claims, reorgs, a dead RPC, PostgreSQL. */
class ChainFaultsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static ChainTestbed bed;

  @TempDir Path dir;
  private Address receiver;
  private ManualClock clock;
  private ChannelLedger ledger;
  private WatcherCheckpoint checkpoint;

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
    ledger = SqliteChannelLedger.open(dir.resolve("ledger.db"), Clock.systemUTC());
    checkpoint = WatcherCheckpoint.in(ledger.database());
  }

  @AfterEach
  void close() {
    checkpoint.close();
    ledger.close();
  }

  private record Opened(PrivateKey consumer, ChannelConfig config, String id) {}

  private Opened open(ChannelLedger l, BigInteger amount) {
    PrivateKey consumer = bed.consumer();
    bed.mint(consumer.address(), amount);
    ChannelConfig c = bed.channel(consumer, receiver);
    DepositResult r = DepositSubmitter.create(bed.settlement, l, bed.sender,
        DepositOptions.defaults(bed.contracts.erc3009Collector()), clock).submit(bed.depositPayload(consumer, c, amount));
    return new Opened(consumer, c, r.channelId());
  }

  private ChainWatcher watcher(ChannelLedger l, WatcherCheckpoint cp) {
    return ChainWatcher.create(bed.settlement, l, cp, ChainWatcherOptions.defaults()
        .withPollInterval(Duration.ofMillis(50)).withReceivers(Set.of(receiver.toLowerHex())), ChainMetrics.none());
  }

  private ClaimScheduler scheduler(ClaimSchedulerOptions options, ChainMetrics metrics) {
    return ClaimScheduler.create(bed.settlement, ledger, bed.sender, bed.receiverAuthorizer, options, clock, metrics);
  }

  private static Object anvil(String method, Object... params) {
    return bed.chain.rpc(method, params);
  }

  @Test
  void aBadVoucherIsSplitOutOfTheBatchAndBacksOffAlone() throws Exception {
    Opened good1 = open(ledger, valueOf(10_000));
    Opened bad = open(ledger, valueOf(10_000));
    Opened good2 = open(ledger, valueOf(10_000));
    ChainTestbed.charge(ledger, bed.settlement.domain(), good1.consumer(), good1.id(), valueOf(100), BigInteger.ZERO);
    ChainTestbed.charge(ledger, bed.settlement.domain(), PrivateKey.random(), bad.id(), valueOf(200), BigInteger.ZERO);
    ChainTestbed.charge(ledger, bed.settlement.domain(), good2.consumer(), good2.id(), valueOf(300), BigInteger.ZERO);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    ClaimScheduler claims = scheduler(ClaimSchedulerOptions.defaults().withMinUnclaimed(BigInteger.ONE),
        ChainMetrics.create(registry));
    ClaimRound round = claims.runOnce();

    assertEquals(2, round.channelsClaimed(), "both good channels claimed: " + round);
    assertTrue(claims.backoffReason(bad.id()).orElseThrow().contains("InvalidSignature"));
    assertTrue(claims.runOnce().confirmed().isEmpty(), "the bad one waits out its backoff");
    assertEquals(1.0, registry.get("infergate_payments_claim_transactions").tag("outcome", "simulation_failed")
        .counter().count());
    ChannelState badState = ledger.get(bad.id()).orElseThrow();
    assertFalse(badState.claim().inFlight());
    assertEquals(BigInteger.ZERO, badState.claim().confirmedUpTo(), "nothing claimed on the bad voucher");
    assertEquals(valueOf(300), ledger.get(good2.id()).orElseThrow().claim().confirmedUpTo());
  }

  @Test
  void aStuckClaimStaysInFlightAndIsConfirmedOnceMined() throws Exception {
    Opened o = open(ledger, valueOf(10_000));
    ChainTestbed.charge(ledger, bed.settlement.domain(), o.consumer(), o.id(), valueOf(1_234), BigInteger.ZERO);
    ClaimScheduler claims = scheduler(ClaimSchedulerOptions.defaults().withMinUnclaimed(BigInteger.ONE)
        .withReceiptTimeout(Duration.ofMillis(300)), ChainMetrics.none());
    anvil("evm_setAutomine", false);
    ClaimRound stuck;
    try {
      stuck = claims.runOnce();
      assertEquals(1, stuck.pending().size(), "waiting, not failed: " + stuck);
      assertEquals(1, ledger.claimsInFlight().size());
      assertTrue(claims.runOnce().pending().size() == 1, "a pending claim is not submitted twice");
      anvil("evm_mine");
    } finally {
      anvil("evm_setAutomine", true);
    }
    assertEquals(1, claims.confirmInFlight());
    assertEquals(valueOf(1_234), ledger.get(o.id()).orElseThrow().claim().confirmedUpTo());
  }

  @Test
  void aClaimRevertedOnChainFailsWithItsReasonAndFreesItsChannels() throws Exception {
    Opened o = open(ledger, valueOf(10_000));
    ChainTestbed.charge(ledger, bed.settlement.domain(), o.consumer(), o.id(), valueOf(4_000), BigInteger.ZERO);
    ClaimScheduler claims = scheduler(ClaimSchedulerOptions.defaults().withMinUnclaimed(BigInteger.ONE),
        ChainMetrics.none());
    anvil("evm_setAutomine", false);
    try {
      assertEquals(1, claims.submitDue().size());
      // Before the claim is mined, the receiver side refunds the whole escrow, with a higher tip so it goes first.
      String refund = bed.settlementAs(bed.facilitator)
          .refund(DepositSubmitter.onChain(o.config()), valueOf(10_000)).encodeFunctionCall();
      org.web3j.tx.RawTransactionManager authorizer = new org.web3j.tx.RawTransactionManager(bed.chain.web3j(),
          ChainTestbed.credentials(bed.receiverAuthorizer), bed.chain.chainId());
      authorizer.sendEIP1559Transaction(bed.chain.chainId(), valueOf(50_000_000_000L), valueOf(200_000_000_000L),
          valueOf(300_000), bed.contracts.batchSettlement(), refund, BigInteger.ZERO);
      anvil("evm_mine");
    } finally {
      anvil("evm_setAutomine", true);
    }
    assertEquals(1, claims.confirmInFlight());
    ChannelState s = ledger.get(o.id()).orElseThrow();
    assertFalse(s.claim().inFlight(), "claimable again");
    assertTrue(s.claim().lastError().orElseThrow().contains("ClaimExceedsBalance"), s.claim().lastError().get());
  }

  @Test
  void aReorgUnderTheCheckpointIsReReadFromTheChain() throws Exception {
    Opened o = open(ledger, valueOf(10_000));
    ChainWatcher w = watcher(ledger, checkpoint);
    w.pollOnce();
    Object snapshot = anvil("evm_snapshot");
    bed.settlementAs(ChainTestbed.credentials(o.consumer()))
        .initiateWithdraw(DepositSubmitter.onChain(o.config()), valueOf(10_000)).send();
    long seen = w.pollOnce();
    assertTrue(ledger.get(o.id()).orElseThrow().chain().withdrawalPending());

    // The withdrawal's block is orphaned; the new chain is longer and never had it.
    anvil("evm_revert", snapshot);
    for (int i = 0; i < 3; i++) {
      anvil("evm_mine");
    }
    assertTrue(bed.settlement.headBlock() > seen);
    w.pollOnce();
    ChannelState after = ledger.get(o.id()).orElseThrow();
    assertFalse(after.chain().withdrawalPending(), "the orphaned withdrawal is gone from the mirror");
    assertEquals(valueOf(10_000), after.chain().balance());
  }

  @Test
  void aDeadRpcStopsTheWatcherAndRefusesDepositsWithACode() throws Exception {
    DevChain lonely = DevChain.start();
    SettlementChain chain = SettlementChain.connect(lonely.web3j(), bed.contracts.batchSettlement());
    ChainWatcher w = ChainWatcher.create(chain, ledger, checkpoint, ChainWatcherOptions.defaults()
        .withPollInterval(Duration.ofMillis(50)), ChainMetrics.none());
    long before = w.pollOnce();
    lonely.close();
    w.start();
    io.infergate.host.fixtures.Await.until("the watcher to report the dead RPC", WAIT, () -> w.lastError().isPresent());
    assertEquals(before, w.processedBlock(), "the mirror stays where it was");
    assertThrows(ChainRpcException.class, w::pollOnce);
    w.close();

    PrivateKey consumer = PrivateKey.random();
    SettlementTransactionException refused = assertThrows(SettlementTransactionException.class,
        () -> DepositSubmitter.create(chain, ledger, TransactionSender.create(chain, bed.facilitator,
            Duration.ofMillis(20)), DepositOptions.defaults(bed.contracts.erc3009Collector()), clock)
            .submit(bed.depositPayload(consumer, bed.channel(consumer, receiver), valueOf(1))));
    assertEquals(BatchSettlementError.DEPOSIT_SIMULATION_FAILED, refused.code());
    assertTrue(refused.getMessage().contains("RPC is unavailable"), refused.getMessage());
  }

  @Test
  void onPostgresTheWatcherMirrorsAndResumesFromItsCheckpoint() throws Exception {
    String url = TestPostgres.freshSchemaUrl();   // the CI server, or a private one started for the tests
    try (ChannelLedger pg = PostgresChannelLedger.open(url, 2, Clock.systemUTC());
         WatcherCheckpoint pgCheckpoint = WatcherCheckpoint.in(pg.database())) {
      Opened o = open(ledger, valueOf(7_000));   // deposited through the SQLite node; PG learns it from events
      ChainWatcher first = watcher(pg, pgCheckpoint);
      long processed = first.pollOnce();
      assertEquals(valueOf(7_000), pg.get(o.id()).orElseThrow().chain().balance());
      Opened later = open(ledger, valueOf(8_000));
      ChainWatcher second = watcher(pg, pgCheckpoint);
      assertEquals(processed, second.processedBlock(), "resumes from the stored block");
      assertTrue(second.pollOnce() > processed);
      assertEquals(valueOf(8_000), pg.get(later.id()).orElseThrow().chain().balance());
    }
  }
}
