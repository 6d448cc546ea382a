package io.infergate.host.receipts.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.contracts.generated.ReceiptAnchor;
import io.infergate.host.errors.NotFoundException;
import io.infergate.host.errors.ReceiptNotAnchoredException;
import io.infergate.host.fixtures.ManualClock;
import io.infergate.host.payments.chain.TransactionSender;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.receipts.ReceiptLog;
import io.infergate.host.receipts.ReceiptLog.Batch;
import io.infergate.host.receipts.ReceiptLog.BatchStatus;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.receipt.ReceiptMerkleTree;
import io.infergate.x402.receipt.ReceiptProof;
import io.infergate.x402.receipt.SignedReceipt;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tuples.generated.Tuple2;

/**
 * Anchoring the node's real receipt journal against a real anvil with the real contracts: proofs checked against the
 * root read from the chain and by the contract's own {@code verifyReceipt}; batches by count and by time; an
 * unregistered key; a dead RPC; a crash at every step of a commit; a range committed twice or overlapping. Run on
 * SQLite and on PostgreSQL by the subclasses.
 */
abstract class ReceiptAnchoringContract {
  private static final Duration WAIT = Duration.ofSeconds(60);
  static AnchorTestbed bed;

  ManualClock clock;
  TestJournal journal;
  AnchorMetrics metrics;
  PrivateKey key;

  @BeforeAll
  static void startChain() {
    bed = new AnchorTestbed();
  }

  @AfterAll
  static void stopChain() {
    bed.close();
  }

  /** A fresh, empty ledger database. */
  protected abstract ChannelLedger openLedger();

  @BeforeEach
  void fresh() throws Exception {
    clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    metrics = AnchorMetrics.none();
    key = bed.receiptKey();
    journal = new TestJournal(openLedger(), key, bed.chain.chainId(), bed.anchor(), bed.provider);
  }

  @AfterEach
  void closeJournal() {
    journal.close();
  }

  static AnchorOptions options() {
    return AnchorOptions.defaults().withBatchSize(5).withInterval(Duration.ofSeconds(30))
        .withTickInterval(Duration.ofMillis(50)).withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
        .withReceiptTimeout(Duration.ofSeconds(20));
  }

  private ReceiptAnchorer anchorer() {
    return bed.anchorer(journal.log(), key, options(), clock, metrics);
  }

  List<SignedReceipt> issue(int count) {
    return journal.issue(count);
  }

  long commitmentsOnChain() throws Exception {
    return bed.reader().commitmentCount(bed.provider.toChecksumString(), key.address().toChecksumString()).send()
        .longValueExact();
  }

  private Batch batch(long seq) {
    return journal.log().batchFor(key.address(), seq).orElseThrow();
  }

  @Test
  void everyReceiptOfSeveralBatchesIsProvenAgainstTheRootOnChain() throws Exception {
    bed.register(key);
    List<SignedReceipt> receipts = issue(13);
    ReceiptAnchorer anchorer = anchorer();

    ReceiptAnchorer.Round byCount = anchorer.runOnce();
    assertEquals(List.of(0L, 5L), byCount.prepared().stream().map(Batch::firstSeq).toList(), "two full batches");
    assertEquals(2, byCount.committed().size());
    ReceiptNotAnchoredException waiting = assertThrows(ReceiptNotAnchoredException.class,
        () -> anchorer.proofs().proof(receipts.get(11).id()));
    assertEquals(409, waiting.status());
    assertTrue(waiting.getMessage().contains("is not anchored yet: it is not in a batch yet"), waiting.getMessage());
    assertTrue(waiting.retryAfterSeconds() >= 30, "retry when the interval cuts the batch: " + waiting.retryAfterSeconds());

    clock.advance(Duration.ofSeconds(29));
    assertTrue(anchorer.runOnce().prepared().isEmpty(), "3 receipts wait until the interval has passed");
    clock.advance(Duration.ofSeconds(1));
    ReceiptAnchorer.Round byTime = anchorer.runOnce();
    assertEquals(1, byTime.prepared().size());
    assertEquals(10, byTime.prepared().getFirst().firstSeq());
    assertEquals(12, byTime.prepared().getFirst().lastSeq());
    assertEquals(3, commitmentsOnChain());

    ReceiptAnchor contract = bed.reader();
    String provider = bed.provider.toChecksumString();
    String signer = key.address().toChecksumString();
    for (SignedReceipt r : receipts) {
      long seq = r.receipt().seq();
      ReceiptProof proof = anchorer.proofs().proof(r.id());
      Tuple2<ReceiptAnchor.Commitment, BigInteger> onChain = contract.commitmentFor(provider, signer,
          BigInteger.valueOf(seq)).send();
      Bytes32 chainRoot = Bytes32.of(onChain.component1().root);
      assertEquals(chainRoot, ReceiptMerkleTree.computeRoot(r.digest(), proof.proof()), "receipt " + seq);
      assertEquals(chainRoot, proof.root());
      assertEquals(onChain.component2().longValueExact(), proof.commitmentIndex());
      assertEquals(onChain.component1().firstSeq.longValueExact(), proof.firstSeq());
      assertTrue(contract.verifyReceipt(provider, signer, BigInteger.valueOf(seq), r.digest().toBytes(),
          bytes(proof.proof())).send(), "the contract accepts receipt " + seq);
      assertEquals(proof, ReceiptProof.fromJson(proof.toJson()), "the served JSON round-trips");
      assertEquals(batch(seq).transaction(), proof.transaction());
    }

    // Wrong receipt for a proof, and a proof against the wrong root: both refused by the contract.
    ReceiptProof first = anchorer.proofs().proof(receipts.get(0).id());
    assertFalse(contract.verifyReceipt(provider, signer, BigInteger.ZERO, receipts.get(1).digest().toBytes(),
        bytes(first.proof())).send());
    assertFalse(contract.verifyReceipt(provider, signer, BigInteger.valueOf(5), receipts.get(0).digest().toBytes(),
        bytes(first.proof())).send(), "receipt 0's proof does not lead to the root of receipts 5..9");
    assertNotEquals(Bytes32.of(contract.commitmentFor(provider, signer, BigInteger.valueOf(5)).send().component1().root),
        ReceiptMerkleTree.computeRoot(receipts.get(0).digest(), first.proof()));

    assertThrows(NotFoundException.class, () -> anchorer.proofs().proof(Bytes32.keccak("nothing".getBytes()).toString()));
    assertThrows(NotFoundException.class, () -> anchorer.proofs().proof("not-an-id"));
    assertEquals(13, metrics.anchored());
    assertEquals(0, metrics.pending());
  }

  @Test
  void anUnregisteredReceiptKeyFailsWithAClearErrorAndSucceedsOnceRegistered() throws Exception {
    List<SignedReceipt> receipts = issue(5);
    ReceiptAnchorer anchorer = anchorer();

    ReceiptAnchorer.Round refused = anchorer.runOnce();
    assertEquals(1, refused.failed().size());
    Batch b = batch(0);
    assertEquals(BatchStatus.PREPARED, b.status());
    assertEquals(1, b.attempts());
    assertTrue(b.lastError().contains("the receipt key " + key.address().toChecksumString() + " is not a registered"
        + " receipt signer of provider " + bed.provider.toChecksumString() + "; register it in the ServiceRegistry"),
        b.lastError());
    ReceiptNotAnchoredException notYet = assertThrows(ReceiptNotAnchoredException.class,
        () -> anchorer.proofs().proof(receipts.getFirst().id()));
    assertTrue(notYet.getMessage().contains("is PREPARED") && notYet.getMessage().contains("not a registered"),
        notYet.getMessage());

    anchorer.runOnce();
    assertEquals(1, batch(0).attempts(), "backing off: no new attempt before the delay");
    clock.advance(Duration.ofSeconds(1));
    anchorer.runOnce();
    assertEquals(2, batch(0).attempts(), "retried after the first delay");

    bed.register(key);
    anchorer.runOnce();
    assertEquals(2, batch(0).attempts(), "the second delay (2 s) is not over");
    clock.advance(Duration.ofSeconds(2));
    assertEquals(1, anchorer.runOnce().committed().size());
    assertEquals(BatchStatus.COMMITTED, batch(0).status());
    assertEquals(2, metrics.failures("not_receipt_signer"));
    assertTrue(anchorer.proofs().proof(receipts.get(3).id()).leadsToRoot(receipts.get(3).digest()));
  }

  @Test
  void aDeadRpcIsRetriedUntilItAnswersAgain() throws Exception {
    bed.register(key);
    int port = java.net.URI.create(bed.chain.rpcUrl()).getPort();
    try (TcpRelay relay = new TcpRelay(port)) {
      Web3j web3j = Web3j.build(new HttpService(relay.url()));
      ReceiptAnchorer anchorer = ReceiptAnchorer.create(journal.log(), bed.contract(key, web3j),
          options().withBackoff(Duration.ofMillis(100), Duration.ofMillis(400)), Clock.systemUTC(), metrics);
      try {
        relay.down();
        issue(5);
        anchorer.start();
        io.infergate.host.fixtures.Await.until("a failed attempt", WAIT, () -> metrics.failures("rpc") >= 2);
        Batch failing = batch(0);
        assertEquals(BatchStatus.PREPARED, failing.status());
        assertTrue(failing.lastError().contains("the chain RPC failed"), failing.lastError());
        assertTrue(anchorer.status().toJson().toString().contains("the chain RPC failed"));

        relay.up();
        io.infergate.host.fixtures.Await.until("the batch to be committed", WAIT, () -> batch(0).status() == BatchStatus.COMMITTED);
        assertEquals(1, commitmentsOnChain());
      } finally {
        anchorer.close();
        web3j.shutdown();
      }
    }
  }

  @Test
  void aCrashAfterBroadcastingIsResolvedByTheReceiptAndCommitsOnce() throws Exception {
    bed.register(key);
    issue(5);
    ReceiptAnchorer first = bed.anchorer(journal.log(), key, options().withReceiptTimeout(Duration.ofMillis(300)),
        clock, metrics);
    bed.rpc("evm_setAutomine", false);
    try {
      ReceiptAnchorer.Round r = first.runOnce();
      assertTrue(r.committed().isEmpty(), "not mined yet");
      assertEquals(BatchStatus.SUBMITTED, batch(0).status());
    } finally {
      first.close();   // the process dies here: the transaction is in the pool, the journal says SUBMITTED
      bed.rpc("evm_mine");
      bed.rpc("evm_setAutomine", true);
    }
    String tx = batch(0).transaction();

    ReceiptAnchorer second = anchorer();
    assertEquals(1, second.runOnce().committed().size());
    assertEquals(BatchStatus.COMMITTED, batch(0).status());
    assertEquals(tx, batch(0).transaction(), "committed by the first run's transaction");
    assertEquals(1, commitmentsOnChain());
    second.runOnce();
    assertEquals(1, commitmentsOnChain());
  }

  @Test
  void aCommitStuckBelowTheBaseFeeIsReplacedAndTheReplacementCommitsOnce() throws Exception {
    bed.register(key);
    issue(5);
    AnchorMetrics counted = AnchorMetrics.create(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    ReceiptAnchorer a = bed.anchorer(journal.log(), key, options().withReceiptTimeout(Duration.ofMillis(300))
        .withReplaceAfter(Duration.ofMinutes(3)), clock, counted);
    bed.rpc("evm_setAutomine", false);
    String original;
    String replacement;
    try {
      assertTrue(a.runOnce().committed().isEmpty(), "not mined yet");
      original = batch(0).transaction();
      // Nothing is mined (a chain whose fees rose past the commit's, as far as the node can tell).
      BigInteger cap = bed.chain.web3j().ethGetTransactionByHash(original).send().getTransaction().orElseThrow()
          .getMaxFeePerGas();
      assertTrue(a.runOnce().committed().isEmpty());
      assertEquals(original, batch(0).transaction(), "not replaced before replace-after");
      assertEquals(0, counted.replacements());

      clock.advance(Duration.ofMinutes(4));
      assertTrue(a.runOnce().committed().isEmpty(), "replaced, not mined yet");
      replacement = batch(0).transaction();
      assertNotEquals(original, replacement, "the replacement's hash is recorded before it is broadcast");
      assertEquals(BatchStatus.SUBMITTED, batch(0).status());
      assertEquals(1, counted.replacements());
      BigInteger bumped = bed.chain.web3j().ethGetTransactionByHash(replacement).send().getTransaction().orElseThrow()
          .getMaxFeePerGas();
      assertTrue(bumped.compareTo(cap) > 0, "fees raised: " + cap + " -> " + bumped);
      // A block only the replacement can pay for.
      bed.rpc("anvil_setNextBlockBaseFeePerGas", "0x" + cap.add(BigInteger.ONE).toString(16));
      bed.rpc("evm_mine");
    } finally {
      bed.rpc("evm_setAutomine", true);
      a.close();
    }
    ReceiptAnchorer b = anchorer();
    assertEquals(1, b.runOnce().committed().size());
    assertEquals(BatchStatus.COMMITTED, batch(0).status());
    assertEquals(replacement, batch(0).transaction(), "committed by the replacement");
    assertTrue(bed.chain.web3j().ethGetTransactionReceipt(original).send().getTransactionReceipt().isEmpty(),
        "the original can never be mined: its nonce is used");
    assertEquals(1, commitmentsOnChain());
  }

  @Test
  void aCrashBeforeBroadcastingSendsAgainAndCommitsOnce() throws Exception {
    bed.register(key);
    issue(5);
    ReceiptLog crashing = new ForwardingReceiptLog(journal.log()) {
      @Override
      public void markSubmitted(long batchId, String transaction) {
        super.markSubmitted(batchId, transaction);
        throw new IllegalStateException("the process dies after recording the hash, before broadcasting");
      }
    };
    ReceiptAnchorer first = ReceiptAnchorer.create(crashing, bed.contract(key), options(), clock, metrics);
    assertThrows(IllegalStateException.class, first::runOnce);
    assertEquals(BatchStatus.SUBMITTED, batch(0).status());

    ReceiptAnchorer second = anchorer();
    assertEquals(1, second.runOnce().failed().size(), "the chain does not know the transaction");
    assertTrue(batch(0).lastError().contains("unknown to the chain"), batch(0).lastError());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, second.runOnce().committed().size());
    assertEquals(BatchStatus.COMMITTED, batch(0).status());
    assertEquals(1, commitmentsOnChain());
  }

  @Test
  void aBatchAlreadyOnChainWithTheSameRootIsMarkedCommittedWithoutSending() throws Exception {
    bed.register(key);
    List<SignedReceipt> receipts = issue(5);
    Bytes32 root = ReceiptMerkleTree.of(receipts.stream().map(SignedReceipt::digest).toList()).root();
    // A previous run's transaction landed, but the journal lost its SUBMITTED record.
    String landed = bed.as(key).commit(bed.provider.toChecksumString(), root.toBytes(), BigInteger.ZERO,
        BigInteger.valueOf(4)).send().getTransactionHash();

    ReceiptAnchorer anchorer = anchorer();
    assertEquals(1, anchorer.runOnce().committed().size());
    Batch b = batch(0);
    assertEquals(BatchStatus.COMMITTED, b.status());
    assertEquals(landed, b.transaction(), "the transaction found by the ReceiptsCommitted event");
    assertTrue(b.blockNumber() > 0);
    assertEquals(0, b.commitmentIndex());
    assertEquals(1, commitmentsOnChain());
    assertTrue(anchorer.proofs().proof(receipts.get(2).id()).leadsToRoot(receipts.get(2).digest()));
  }

  @Test
  void theContractRefusesARangeCommittedTwiceOrOverlapping() throws Exception {
    bed.register(key);
    AnchorContract c = bed.contract(key);
    TransactionSender sender = c.sender();
    String anchor = c.anchor().toLowerHex();
    Bytes32 root = Bytes32.keccak("root".getBytes());
    bed.as(key).commit(bed.provider.toChecksumString(), root.toBytes(), BigInteger.ZERO, BigInteger.valueOf(4)).send();
    for (long[] range : new long[][] {{0, 4}, {3, 8}, {4, 4}}) {
      TransactionSender.Reverted r = assertThrows(TransactionSender.Reverted.class,
          () -> sender.simulate(anchor, c.commitCall(root, range[0], range[1])));
      assertEquals("RangeOverlaps", r.reason(), "range " + range[0] + ".." + range[1]);
    }
    sender.simulate(anchor, c.commitCall(root, 5, 9));   // the next range is fine, even with the same root
  }

  @Test
  void aDifferentRootOnChainForTheRangeStopsAnchoringLoudly() throws Exception {
    bed.register(key);
    List<SignedReceipt> receipts = issue(10);
    bed.as(key).commit(bed.provider.toChecksumString(), Bytes32.keccak("another journal".getBytes()).toBytes(),
        BigInteger.ZERO, BigInteger.valueOf(4)).send();

    ReceiptAnchorer anchorer = anchorer();
    ReceiptAnchorer.Round r = anchorer.runOnce();
    assertTrue(r.conflicted());
    assertTrue(r.committed().isEmpty());
    String conflict = anchorer.conflict().orElseThrow();
    assertTrue(conflict.startsWith("CONFLICT: the chain already holds a different commitment for receipts 0..4"),
        conflict);
    assertTrue(batch(0).lastError().startsWith("CONFLICT"));
    assertEquals(1, metrics.registry().get("infergate_receipt_anchor_conflict").gauge().value());
    assertTrue(anchorer.status().toJson().path("conflict").asText().startsWith("CONFLICT"));
    ReceiptNotAnchoredException notYet = assertThrows(ReceiptNotAnchoredException.class,
        () -> anchorer.proofs().proof(receipts.get(1).id()));
    assertTrue(notYet.getMessage().contains("CONFLICT"), notYet.getMessage());

    clock.advance(Duration.ofMinutes(10));
    anchorer.runOnce();
    anchorer.runOnce();
    assertEquals(1, metrics.failures("conflict"), "said once, not looping");
    assertEquals(1, commitmentsOnChain(), "nothing more sent");

    // A restarted node finds it again before sending anything.
    AnchorMetrics again = AnchorMetrics.none();
    ReceiptAnchorer restarted = bed.anchorer(journal.log(), key, options(), clock, again);
    assertTrue(restarted.runOnce().conflicted());
    assertEquals(1, commitmentsOnChain());
  }

  @Test
  void aCommitmentReachingIntoTheBatchFromAnotherJournalIsAConflictToo() throws Exception {
    bed.register(key);
    issue(5);
    bed.as(key).commit(bed.provider.toChecksumString(), Bytes32.keccak("other".getBytes()).toBytes(),
        BigInteger.valueOf(3), BigInteger.valueOf(7)).send();
    ReceiptAnchorer anchorer = anchorer();
    assertTrue(anchorer.runOnce().conflicted());
    assertTrue(anchorer.conflict().orElseThrow().contains("already reaches receipt 7"), anchorer.conflict().get());
  }

  private static List<byte[]> bytes(List<Bytes32> proof) {
    return proof.stream().map(Bytes32::toBytes).toList();
  }
}
