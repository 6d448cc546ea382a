package io.infergate.host.payments.chain;

import static java.math.BigInteger.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.ManualClock;
import io.infergate.host.fixtures.TestPostgres;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.PostgresChannelLedger;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.ChannelConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.utils.Numeric;

/**
 * Stuck claim transactions on a real anvil. A claim is sent with automining off, so it waits in the mempool as
 * an underpriced one does on a real chain (anvil itself evicts a transaction as soon as it mines a block whose
 * base fee exceeds its fee cap, so "stuck" is made by not mining). Once replaced, the block that mines the
 * replacement is given a base fee above the original's fee cap: a block the original could never have entered.
 * The scheduler must replace the claim (same nonce, higher fee), record every hash before broadcasting, and
 * confirm the claim once, by whichever transaction lands, across restarts.
 */
class ClaimReplacementTest {
  private static final Duration REPLACE_AFTER = Duration.ofMinutes(3);
  private static ChainTestbed bed;

  @TempDir Path dir;
  private Address receiver;
  private ManualClock clock;
  private String ledgerSpec;
  private ChannelLedger ledger;

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
  }

  /** Whatever a test left in the mempool is mined, so the facilitator's next nonce is free for the next test. */
  @AfterEach
  void drainMempool() throws Exception {
    anvil("anvil_setNextBlockBaseFeePerGas", quantity(BigInteger.ONE));
    anvil("evm_mine");
    anvil("evm_setAutomine", true);
    if (ledger != null) {
      ledger.close();
    }
  }

  private void openLedger(String kind) {
    if (ledgerSpec == null) {
      ledgerSpec = kind.equals("postgres") ? TestPostgres.freshSchemaUrl() : dir.resolve("ledger.db").toString();
    }
    ledger = kind.equals("postgres") ? PostgresChannelLedger.open(ledgerSpec, 2, Clock.systemUTC())
        : SqliteChannelLedger.open(Path.of(ledgerSpec), Clock.systemUTC());
  }

  /** The node dies (its scheduler is simply dropped) and starts again on the same database. */
  private void restart(String kind) {
    ledger.close();
    openLedger(kind);
  }

  private ClaimScheduler scheduler(ClaimSchedulerOptions options, ChainMetrics metrics) {
    return ClaimScheduler.create(bed.settlement, ledger, bed.sender, bed.receiverAuthorizer, options, clock, metrics);
  }

  private static ClaimSchedulerOptions options() {
    return ClaimSchedulerOptions.defaults().withMinUnclaimed(BigInteger.ONE)
        .withReceiptTimeout(Duration.ofMillis(300)).withReplaceAfter(REPLACE_AFTER);
  }

  private record Opened(PrivateKey consumer, ChannelConfig config, String id) {}

  /** A deposited channel charged {@code charged}, while blocks are still mined on demand. */
  private Opened charged(BigInteger charged) {
    PrivateKey consumer = bed.consumer();
    bed.mint(consumer.address(), valueOf(10_000));
    ChannelConfig c = bed.channel(consumer, receiver);
    DepositResult r = DepositSubmitter.create(bed.settlement, ledger, bed.sender,
        DepositOptions.defaults(bed.contracts.erc3009Collector()), clock)
        .submit(bed.depositPayload(consumer, c, valueOf(10_000)));
    ChainTestbed.charge(ledger, bed.settlement.domain(), consumer, r.channelId(), charged, BigInteger.ZERO);
    return new Opened(consumer, c, r.channelId());
  }

  /** Submits the due claim with automining off: it waits in the mempool until a block is mined. */
  private String stuckClaim(ClaimScheduler claims) throws Exception {
    anvil("evm_setAutomine", false);
    ClaimRound sent = claims.runOnce();
    assertEquals(1, sent.pending().size(), "sent, not mined: " + sent);
    String claim = sent.pending().getFirst();
    assertTrue(bed.sender.pending(claim).isPresent(), "waiting in the mempool");
    return claim;
  }

  /** Mines one block whose base fee the stuck original cannot pay (its fee cap + 1 wei). */
  private void mineAbove(TransactionSender.Pending original) throws Exception {
    anvil("anvil_setNextBlockBaseFeePerGas", quantity(original.fees().maxFeePerGas().add(BigInteger.ONE)));
    anvil("evm_mine");
  }

  private BigInteger claimedOnChain(String channelId) throws Exception {
    return bed.settlementAs(bed.facilitator).channels(Numeric.hexStringToByteArray(channelId)).send().component2();
  }

  @Test
  void aStuckClaimIsReplacedWithTheSameNonceAndAHigherFeeAndConfirmedOnce() throws Exception {
    openLedger("sqlite");
    Opened o = charged(valueOf(1_234));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ClaimScheduler claims = scheduler(options(), ChainMetrics.create(registry));
    String claim = stuckClaim(claims);
    TransactionSender.Pending original = bed.sender.pending(claim).orElseThrow();

    ClaimRound early = claims.runOnce();
    assertEquals(List.of(claim), early.pending());
    assertEquals(0, early.stuck(), "not before replace-after");
    assertTrue(early.replaced().isEmpty());

    clock.advance(REPLACE_AFTER);
    ClaimRound round = claims.runOnce();
    assertEquals(1, round.stuck());
    assertEquals(1, round.replaced().size(), "replaced: " + round);
    String replacement = round.replaced().getFirst();
    assertEquals(List.of(claim, replacement), ledger.claimTransactions(claim), "both hashes recorded");
    TransactionSender.Pending next = bed.sender.pending(replacement).orElseThrow();
    assertEquals(original.nonce(), next.nonce(), "same nonce: only one of them can ever be mined");
    assertEquals(original.input(), next.input(), "the same claim batch");
    assertTrue(next.fees().maxFeePerGas().compareTo(FeeBump.bumped(original.fees().maxFeePerGas())) >= 0);
    assertTrue(next.fees().maxPriorityFeePerGas().compareTo(FeeBump.bumped(original.fees().maxPriorityFeePerGas()))
        >= 0);
    assertEquals(1.0, registry.get("infergate_payments_claims_stuck").gauge().value());
    assertEquals(1.0, registry.get("infergate_payments_claim_replacements").counter().count());
    assertTrue(claims.runOnce().replaced().isEmpty(), "the replacement gets its own wait");

    mineAbove(original);
    ClaimRound confirmed = claims.runOnce();
    assertEquals(List.of(replacement), confirmed.confirmed(), "confirmed by the replacement: " + confirmed);
    assertEquals(1, confirmed.channelsClaimed());
    assertTrue(bed.sender.receipt(claim).isEmpty(), "the original never landed");
    assertEquals(valueOf(1_234), claimedOnChain(o.id()));
    assertEquals(valueOf(1_234), ledger.get(o.id()).orElseThrow().claim().confirmedUpTo());
    assertTrue(ledger.claimsInFlight().isEmpty());
    assertEquals(0.0, registry.get("infergate_payments_claims_stuck").gauge().value());
    assertEquals(1.0, registry.get("infergate_payments_claim_transactions").tag("outcome", "confirmed").counter()
        .count(), "confirmed once");
    ClaimRound after = claims.runOnce();
    assertTrue(after.confirmed().isEmpty() && after.pending().isEmpty(), "nothing left: " + after);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aCrashAfterTheReplacementStillConfirmsTheClaimByTheReplacement(String store) throws Exception {
    openLedger(store);
    Opened o = charged(valueOf(2_500));
    ClaimScheduler first = scheduler(options(), ChainMetrics.none());
    String claim = stuckClaim(first);
    TransactionSender.Pending original = bed.sender.pending(claim).orElseThrow();
    clock.advance(REPLACE_AFTER);
    String replacement = first.runOnce().replaced().getFirst();

    // kill -9 before the replacement is confirmed; it is mined while the node is down.
    restart(store);
    mineAbove(original);
    assertTrue(bed.sender.receipt(replacement).isPresent());
    assertFalse(bed.sender.known(claim), "the original is gone: confirming by its hash alone would call it dropped");
    ClaimScheduler restarted = scheduler(options(), ChainMetrics.none());

    assertEquals(1, restarted.confirmInFlight(), "found by the replacement's receipt");
    assertTrue(ledger.claimsInFlight().isEmpty());
    assertTrue(ledger.get(o.id()).orElseThrow().claim().lastError().isEmpty(), "not failed as dropped");
    assertEquals(valueOf(2_500), ledger.get(o.id()).orElseThrow().claim().confirmedUpTo());
    assertEquals(valueOf(2_500), claimedOnChain(o.id()));
    assertTrue(restarted.runOnce().confirmed().isEmpty(), "confirmed once");
  }

  @Test
  void aCrashBeforeTheReplacementWasBroadcastConfirmsTheClaimByTheOriginal() throws Exception {
    openLedger("sqlite");
    Opened o = charged(valueOf(3_000));
    String claim = stuckClaim(scheduler(options(), ChainMetrics.none()));
    // The replacement was recorded, then the node died before broadcasting it; the original is mined after all.
    String neverSent = "0x" + "cd".repeat(32);
    ledger.markClaimReplaced(claim, neverSent);
    restart("sqlite");
    anvil("evm_mine");

    ClaimScheduler restarted = scheduler(options(), ChainMetrics.none());
    assertEquals(1, restarted.confirmInFlight(), "the original landed");
    assertEquals(valueOf(3_000), ledger.get(o.id()).orElseThrow().claim().confirmedUpTo());
    assertEquals(valueOf(3_000), claimedOnChain(o.id()));
    assertTrue(ledger.claimTransactions(claim).isEmpty());
  }

  @Test
  void aReplacementOfANonUrgentClaimNeverOffersMoreThanTheGasPriceCap() throws Exception {
    openLedger("sqlite");
    charged(valueOf(4_000));
    String claim = stuckClaim(scheduler(options(), ChainMetrics.none()));
    BigInteger stuckFee = bed.sender.pending(claim).orElseThrow().fees().maxFeePerGas();
    // Restarted with a cap that allows the stuck fee but not 12.5% more.
    ClaimScheduler capped = scheduler(options().withGasPriceCap(FeeBump.bumped(stuckFee).subtract(BigInteger.ONE)),
        ChainMetrics.none());
    assertTrue(capped.runOnce().replaced().isEmpty(), "a restarted scheduler starts its own wait");
    clock.advance(REPLACE_AFTER);

    ClaimRound round = capped.runOnce();

    assertEquals(1, round.stuck());
    assertTrue(round.replaced().isEmpty(), "a valid bump would exceed the cap: " + round);
    assertEquals(List.of(claim), ledger.claimTransactions(claim), "nothing recorded, nothing sent");
    assertTrue(bed.sender.pending(claim).isPresent());
  }

  private static String quantity(BigInteger v) {
    return "0x" + v.toString(16);
  }

  private static Object anvil(String method, Object... params) {
    return bed.chain.rpc(method, params);
  }
}
