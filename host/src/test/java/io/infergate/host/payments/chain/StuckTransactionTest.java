package io.infergate.host.payments.chain;

import static java.math.BigInteger.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.ManualClock;
import io.infergate.host.payments.ledger.ChannelLedger;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stuck deposits on a real anvil, made the way {@link ClaimReplacementTest} makes claims stuck: automining off,
 * so a transaction waits in the mempool as an underpriced one does on a real chain, and the block that finally
 * mines is given a base fee above the original's fee cap (a block the original could never have entered). A
 * deposit must be replaced while the payer waits and answered with the hash that was mined; a deposit left stuck
 * after its wait must be replaced by the claim round so that the claim queued behind it lands; and no
 * replacement may offer more than the gas price cap.
 */
class StuckTransactionTest {
  private static final Duration REPLACE_AFTER = Duration.ofMinutes(3);
  private static ChainTestbed bed;

  @TempDir Path dir;
  private Address receiver;
  private ManualClock clock;
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
    ledger = SqliteChannelLedger.open(dir.resolve("ledger.db"), Clock.systemUTC());
  }

  /** Whatever a test left in the mempool is mined, so the facilitator's next nonce is free for the next test. */
  @AfterEach
  void drainMempool() {
    anvil("anvil_setNextBlockBaseFeePerGas", quantity(BigInteger.ONE));
    anvil("evm_mine");
    anvil("evm_setAutomine", true);
    ledger.close();
  }

  private record Payer(PrivateKey consumer, ChannelConfig config, DepositPayload payload) {}

  /** A consumer with tokens (minted while blocks are still mined on demand) and its deposit payload. */
  private Payer payer(BigInteger amount) {
    PrivateKey consumer = bed.consumer();
    bed.mint(consumer.address(), amount);
    ChannelConfig c = bed.channel(consumer, receiver);
    return new Payer(consumer, c, bed.depositPayload(consumer, c, amount));
  }

  private DepositSubmitter deposits(TransactionSender sender, DepositOptions options, ChainMetrics metrics) {
    return DepositSubmitter.create(bed.settlement, ledger, sender, options, clock, metrics);
  }

  private DepositOptions depositOptions() {
    return DepositOptions.defaults(bed.contracts.erc3009Collector());
  }

  /** Mines one block whose base fee the stuck original cannot pay (its fee cap + 1 wei). */
  private static void mineAbove(TransactionSender.Pending original) {
    anvil("anvil_setNextBlockBaseFeePerGas", quantity(original.fees().maxFeePerGas().add(BigInteger.ONE)));
    anvil("evm_mine");
  }

  /** What {@code sender} broadcast with its lowest nonce not yet known mined, once it holds {@code hashes}. */
  private static SentTransactions.AtNonce awaitHashes(TransactionSender sender, int hashes) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      List<SentTransactions.AtNonce> unmined = sender.unmined();
      if (!unmined.isEmpty() && unmined.getLast().hashes().size() >= hashes) {
        return unmined.getLast();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the sender never held " + hashes + " hashes for one nonce: " + sender.unmined());
  }

  /** The chain's copy of {@code hash}: the sender remembers a hash just before it broadcasts it. */
  private static TransactionSender.Pending awaitPending(TransactionSender sender, String hash) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      var p = sender.pending(hash);
      if (p.isPresent()) {
        return p.get();
      }
      Thread.sleep(5);
    }
    throw new AssertionError(hash + " never reached the mempool");
  }

  @Test
  void aStuckDepositIsReplacedWhileThePayerWaitsAndAnsweredWithTheMinedHash() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // The wait measures replace-after on the system clock here: one second, well inside the receipt timeout.
    TransactionSender sender = TransactionSender.create(bed.settlement, bed.facilitator, Duration.ofMillis(20));
    DepositSubmitter deposits = deposits(sender, depositOptions().withReplaceAfter(Duration.ofSeconds(1))
        .withReceiptTimeout(Duration.ofSeconds(30)), ChainMetrics.create(registry));
    Payer p = payer(valueOf(5_000));
    anvil("evm_setAutomine", false);

    CompletableFuture<DepositResult> paidCall = CompletableFuture.supplyAsync(() -> deposits.submit(p.payload()));
    String originalHash = awaitHashes(sender, 1).newest();
    TransactionSender.Pending original = awaitPending(sender, originalHash);
    SentTransactions.AtNonce replaced = awaitHashes(sender, 2);
    String replacement = replaced.newest();
    TransactionSender.Pending next = awaitPending(sender, replacement);
    assertEquals(original.nonce(), next.nonce(), "same nonce: only one of them can ever be mined");
    assertEquals(original.input(), next.input(), "the same deposit");
    assertTrue(next.fees().maxFeePerGas().compareTo(FeeBump.bumped(original.fees().maxFeePerGas())) >= 0);
    assertEquals(TransactionSender.Kind.DEPOSIT, replaced.purpose().kind());

    mineAbove(original);
    DepositResult r = paidCall.get(30, TimeUnit.SECONDS);

    assertEquals(replacement, r.txHash(), "answered with the hash that was mined");
    assertTrue(sender.receipt(originalHash).isEmpty(), "the original never landed");
    assertEquals(valueOf(5_000), r.balance());
    assertEquals(valueOf(5_000), ledger.get(r.channelId()).orElseThrow().chain().balance(), "mirrored");
    assertEquals(1.0, registry.get("infergate_payments_transaction_replacements").tag("kind", "deposit").counter()
        .count());
  }

  /**
   * With {@code restart}, the node that sent the deposit is gone before the claim round runs: a new ledger handle and
   * a new sender, which knows the stuck deposit only from the ledger's record of what the key broadcast.
   */
  @ParameterizedTest(name = "restart between the deposit and the claim round: {0}")
  @ValueSource(booleans = {false, true})
  void aClaimQueuedBehindAStuckDepositLandsOnceTheRoundReplacesTheDeposit(boolean restart) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ChainMetrics metrics = ChainMetrics.create(registry);
    TransactionSender before = TransactionSender.create(bed.settlement, bed.facilitator, Duration.ofMillis(20),
        clock, SentTransactionJournal.in(ledger.database()));
    Payer first = payer(valueOf(10_000));
    DepositResult opened = deposits(before, depositOptions(), metrics).submit(first.payload());
    ChainTestbed.charge(ledger, bed.settlement.domain(), first.consumer(), opened.channelId(), valueOf(1_234),
        BigInteger.ZERO);
    Payer late = payer(valueOf(7_000));
    anvil("evm_setAutomine", false);

    // The payer's wait ends before replace-after (on the manual clock, which does not move while it waits).
    SettlementTransactionException timedOut = assertThrows(SettlementTransactionException.class,
        () -> deposits(before, depositOptions().withReceiptTimeout(Duration.ofMillis(300)), metrics)
            .submit(late.payload()));
    assertEquals(BatchSettlementError.WAIT_FOR_RECEIPT_FAILED, timedOut.code());
    String stuckDeposit = timedOut.txHash().orElseThrow();
    assertTrue(timedOut.getMessage().contains(stuckDeposit) && timedOut.getMessage().contains("may still land"),
        timedOut.getMessage());
    TransactionSender.Pending original = before.pending(stuckDeposit).orElseThrow();
    assertEquals(before.minedCount(), original.nonce(), "the deposit holds the key's lowest unmined nonce");
    TransactionSender sender = before;
    if (restart) {
      ledger.close();
      ledger = SqliteChannelLedger.open(dir.resolve("ledger.db"), Clock.systemUTC());
      sender = TransactionSender.create(bed.settlement, bed.facilitator, Duration.ofMillis(20), clock,
          SentTransactionJournal.in(ledger.database()));
      SentTransactions.AtNonce known = sender.sentWith(original.nonce()).orElseThrow();
      assertEquals(List.of(stuckDeposit), known.hashes(), "the restarted node knows the stuck deposit");
      assertEquals(TransactionSender.Kind.DEPOSIT, known.purpose().kind());
    }

    ClaimScheduler claims = ClaimScheduler.create(bed.settlement, ledger, sender, bed.receiverAuthorizer,
        ClaimSchedulerOptions.defaults().withMinUnclaimed(BigInteger.ONE).withReceiptTimeout(Duration.ofMillis(300))
            .withReplaceAfter(REPLACE_AFTER), clock, metrics);
    ClaimRound queued = claims.runOnce();
    assertEquals(1, queued.pending().size(), "the claim is sent behind the deposit: " + queued);
    assertTrue(queued.unblocked().isEmpty(), "not before replace-after");

    clock.advance(REPLACE_AFTER);
    ClaimRound round = claims.runOnce();

    assertEquals(1, round.unblocked().size(), "the deposit at the head of the queue was replaced: " + round);
    String depositReplacement = round.unblocked().getFirst();
    assertEquals(original.nonce(), sender.pending(depositReplacement).orElseThrow().nonce());
    assertEquals(1.0, registry.get("infergate_payments_transaction_replacements").tag("kind", "deposit").counter()
        .count());
    mineAbove(original);
    assertTrue(sender.receipt(depositReplacement).isPresent(), "the replacement entered a block the original could not");
    assertTrue(sender.receipt(stuckDeposit).isEmpty());
    anvil("anvil_setNextBlockBaseFeePerGas", quantity(BigInteger.ONE));
    anvil("evm_mine");

    anvil("evm_setAutomine", true); // for the settle that follows the claim
    ClaimRound landed = claims.runOnce();
    assertEquals(1, landed.confirmed().size(), "the claim queued behind the deposit landed: " + landed);
    assertTrue(ledger.claimsInFlight().isEmpty());
    assertEquals(valueOf(1_234), ledger.get(opened.channelId()).orElseThrow().claim().confirmedUpTo());
    assertTrue(sender.sentWith(original.nonce()).isEmpty(), "a mined nonce is forgotten");
  }

  @Test
  void aReplacementNeverOffersMoreThanTheGasPriceCap() throws Exception {
    TransactionSender sender = TransactionSender.create(bed.settlement, bed.facilitator, Duration.ofMillis(20),
        clock);
    Payer p = payer(valueOf(3_000));
    anvil("evm_setAutomine", false);
    SettlementTransactionException timedOut = assertThrows(SettlementTransactionException.class,
        () -> deposits(sender, depositOptions().withReceiptTimeout(Duration.ofMillis(300)), ChainMetrics.none())
            .submit(p.payload()));
    String stuckDeposit = timedOut.txHash().orElseThrow();
    BigInteger stuckFee = sender.pending(stuckDeposit).orElseThrow().fees().maxFeePerGas();
    // A cap that allows the fee the deposit was sent with, but not 12.5% more.
    BigInteger cap = FeeBump.bumped(stuckFee).subtract(BigInteger.ONE);
    ClaimScheduler capped = ClaimScheduler.create(bed.settlement, ledger, sender, bed.receiverAuthorizer,
        ClaimSchedulerOptions.defaults().withGasPriceCap(cap).withReplaceAfter(REPLACE_AFTER), clock,
        ChainMetrics.none());

    clock.advance(REPLACE_AFTER);
    ClaimRound round = capped.runOnce();

    assertTrue(round.unblocked().isEmpty(), "a valid bump would exceed the cap: " + round);
    assertEquals(List.of(stuckDeposit), sender.sentWith(sender.minedCount()).orElseThrow().hashes(), "nothing sent");
    assertTrue(sender.pending(stuckDeposit).isPresent());
    assertTrue(capped.runOnce().unblocked().isEmpty(), "the capped transaction waits replace-after again");
  }

  private static String quantity(BigInteger v) {
    return "0x" + v.toString(16);
  }

  private static Object anvil(String method, Object... params) {
    return bed.chain.rpc(method, params);
  }
}
