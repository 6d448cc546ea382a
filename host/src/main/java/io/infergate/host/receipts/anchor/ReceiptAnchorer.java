package io.infergate.host.receipts.anchor;

import io.infergate.host.leadership.LeaderElection;
import io.infergate.host.leadership.LeaderRole;
import io.infergate.host.leadership.SingleNodeElection;
import io.infergate.host.payments.chain.ChainRpcException;
import io.infergate.host.payments.chain.PeriodicTask;
import io.infergate.host.payments.chain.TransactionSender;
import io.infergate.host.receipts.ReceiptLog;
import io.infergate.host.receipts.ReceiptLog.Batch;
import io.infergate.host.receipts.ReceiptLog.BatchStatus;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.receipt.ReceiptMerkleTree;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/*
 * Design notes.
 *
 * Order: the contract accepts a stream's ranges only moving forward, so batches are committed oldest first and a
 * batch that cannot be committed holds the later ones back (they are still prepared, so their roots are durable).
 *
 * Crash safety, the ClaimScheduler's pattern: the batch and its root are durable (PREPARED) before anything is
 * sent; the commit is signed, its hash recorded (markSubmitted), and only then broadcast. A SUBMITTED batch is
 * decided by its transaction's receipt, or failed back to PREPARED when the chain does not know the transaction.
 * Before every send the chain is asked whether the range is already covered: the same root there means the batch
 * is committed (a previous run's transaction landed after its record was lost), so a batch is committed at most
 * once whatever happens between the steps.
 *
 * Conflict: a commitment on chain that overlaps a batch with a different root or range can only come from
 * another journal signing with the same key (a restored backup, two nodes sharing a key) or a damaged journal.
 * No retry can fix it and proofs for those receipts cannot be served, so the anchorer stops sending, says so
 * (error log, infergate_receipt_anchor_conflict = 1, the admin status, the batch's error) and keeps preparing.
 *
 * Replicas: replicas sharing a PostgreSQL ledger and the receipt key share one stream; only the anchoring leader
 * (LeaderElection, role anchoring) runs rounds, so the key's commits never race on nonces or pay gas twice. Every
 * replica keeps an anchorer for proofs and status; the journal holds all the state a new leader resumes from.
 */
/**
 * Commits Merkle roots of the receipt journal to the {@code ReceiptAnchor} contract on its own thread: every
 * {@link AnchorOptions#batchSize()} receipts, or after {@link AnchorOptions#interval()} for fewer, whichever
 * first; retries failed commits with exponential backoff; resumes after a crash from what the journal recorded.
 *
 * <pre>{@code
 * ReceiptAnchorer anchorer = ReceiptAnchorer.create(journal, AnchorContract.of(web3j, chainId, anchor, provider,
 *     TransactionSender.create(web3j, chainId, receiptKey, Duration.ofMillis(250))), options, clock, metrics);
 * anchorer.start();                          // resumes in-flight batches, then ticks
 * anchorer.proofs().proof(receiptId);        // the inclusion proof once the receipt's batch is committed
 * }</pre>
 *
 * The receipt key signs the commits and pays their gas: fund it (a commit costs about 85k gas, the stream's first about 98k).
 */
public final class ReceiptAnchorer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiptAnchorer.class);

  private final ReceiptLog log;
  private final AnchorContract contract;
  private final TransactionSender sender;
  private final AnchorOptions options;
  private final Clock clock;
  private final AnchorMetrics metrics;
  private final Address signer;
  private final BatchTrees trees;
  private final ReceiptProofs proofs;
  private final LeaderElection leadership;
  private final Object roundLock = new Object();
  private final Map<Long, Instant> notBefore = new ConcurrentHashMap<>();
  /** When each submitted batch's newest transaction was sent, or first seen pending by this run. */
  private final Map<Long, Instant> lastSent = new ConcurrentHashMap<>();
  private volatile Instant waitingSince;
  private volatile String conflict;
  private volatile String lastError;
  private volatile Instant lastRound;
  private PeriodicTask ticker;

  private ReceiptAnchorer(ReceiptLog log, AnchorContract contract, AnchorOptions options, Clock clock,
      AnchorMetrics metrics, LeaderElection leadership) {
    this.log = log;
    this.leadership = leadership;
    this.contract = contract;
    this.sender = contract.sender();
    this.options = options;
    this.clock = clock;
    this.metrics = metrics;
    this.signer = contract.signer();
    this.trees = new BatchTrees(log, 8);
    this.proofs = new ReceiptProofs(log, contract, trees, this);
  }

  public static ReceiptAnchorer create(ReceiptLog log, AnchorContract contract, AnchorOptions options, Clock clock,
      AnchorMetrics metrics) {
    return create(log, contract, options, clock, metrics, SingleNodeElection.always(LeaderRole.ANCHORING));
  }

  /**
   * An anchorer whose ticks run a round only while {@code leadership} says this replica leads the anchoring
   * (replicas sharing a ledger and receipt key); it closes {@code leadership} when it closes.
   */
  public static ReceiptAnchorer create(ReceiptLog log, AnchorContract contract, AnchorOptions options, Clock clock,
      AnchorMetrics metrics, LeaderElection leadership) {
    return new ReceiptAnchorer(Objects.requireNonNull(log, "log"), Objects.requireNonNull(contract, "contract"),
        Objects.requireNonNull(options, "options"), Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(metrics, "metrics"), Objects.requireNonNull(leadership, "leadership"));
  }

  /** Whether this replica runs the anchoring rounds, as of its last tick. */
  public LeaderElection leadership() {
    return leadership;
  }

  /** Inclusion proofs of this anchorer's receipts. */
  public ReceiptProofs proofs() {
    return proofs;
  }

  public AnchorOptions options() {
    return options;
  }

  /** The receipt key whose stream this anchorer commits. */
  public Address signer() {
    return signer;
  }

  // ---- running

  /**
   * Runs a round now, then every {@link AnchorOptions#tickInterval()} on the anchorer's own thread; each tick asks
   * the election first and runs the round only while this replica leads the anchoring.
   */
  public synchronized void start() {
    if (ticker != null) {
      return;
    }
    ticker = PeriodicTask.start("receipt-anchorer", options.tickInterval(), Duration.ofSeconds(10),
        // A follower refreshes the meters: the stream is the shared journal's, every replica shows it.
        leadership.gate(() -> {
          try {
            runOnce();
          } catch (RuntimeException e) {
            lastError = e.getMessage();     // for the admin status; PeriodicTask logs it
            throw e;
          }
        }, this::refreshGauges));
  }

  /** What one round did. */
  public record Round(List<Batch> prepared, List<Long> committed, List<Long> failed, boolean conflicted) {}

  /**
   * One round: cut due batches, then advance the open ones in order (resume, reconcile, send, confirm), asking the
   * election again before each batch.
   */
  public Round runOnce() {
    synchronized (roundLock) {
      lastRound = clock.instant();
      List<Batch> prepared = prepareDue();
      List<Long> committed = new ArrayList<>();
      List<Long> failed = new ArrayList<>();
      if (conflict == null) {
        for (Batch b : log.openBatches(signer)) {
          if (!leadership.lead()) {
            // The lock went away during the round (connection dropped, another replica took over): send no more.
            LOG.warn("anchoring round stopped before batch {}: this replica no longer leads the anchoring", b.id());
            break;
          }
          Step s = advance(b);
          if (s == Step.COMMITTED) {
            committed.add(b.id());
          } else {
            if (s == Step.FAILED) {
              failed.add(b.id());
            }
            break;    // ranges only move forward on chain: later batches wait for this one
          }
        }
      }
      refreshGauges();
      return new Round(prepared, committed, failed, conflict != null);
    }
  }

  // ---- cutting batches

  private List<Batch> prepareDue() {
    Instant now = clock.instant();
    long last = log.lastSeq(signer);
    long batched = log.lastBatchedSeq(signer);
    List<Batch> out = new ArrayList<>();
    if (last <= batched) {
      waitingSince = null;
      return out;
    }
    if (waitingSince == null) {
      waitingSince = now;
    }
    while (last - batched >= options.batchSize()) {
      out.add(prepare(batched + 1, batched + options.batchSize(), now));
      batched += options.batchSize();
    }
    if (last > batched && !now.isBefore(waitingSince.plus(options.interval()))) {
      out.add(prepare(batched + 1, last, now));
      batched = last;
    }
    if (last <= batched) {
      waitingSince = null;
    }
    return out;
  }

  private Batch prepare(long firstSeq, long lastSeq, Instant now) {
    ReceiptMerkleTree tree = BatchTrees.build(log, signer, firstSeq, lastSeq);
    Batch b = log.prepareBatch(signer, firstSeq, lastSeq, tree.root(), now.toEpochMilli());
    trees.remember(b.id(), tree);
    LOG.debug("receipt batch {} prepared: receipts {}..{} of {}, root {}", b.id(), firstSeq, lastSeq, signer, b.root());
    return b;
  }

  // ---- advancing one batch

  private enum Step { COMMITTED, WAITING, FAILED }

  private Step advance(Batch b) {
    Instant now = clock.instant();
    Instant wait = notBefore.get(b.id());
    if (wait != null && now.isBefore(wait)) {
      return Step.WAITING;
    }
    try {
      if (b.status() == BatchStatus.SUBMITTED && b.transaction() != null) {
        return resume(b);
      }
      return reconcileAndSend(b);
    } catch (ChainRpcException e) {
      String error = "the chain RPC failed while committing receipts " + b.firstSeq() + ".." + b.lastSeq() + ": "
          + e.getMessage() + "; retrying with backoff";
      // Re-read: the batch may have become SUBMITTED in this attempt (hash recorded, then the broadcast failed).
      Batch current = log.openBatches(signer).stream().filter(o -> o.id() == b.id()).findFirst().orElse(b);
      if (current.status() == BatchStatus.PREPARED) {
        return fail(current, "rpc", error);
      }
      // SUBMITTED: keep the transaction hash, its receipt decides once the RPC answers again.
      backOff(b, b.attempts() + 1);
      lastError = error;
      metrics.failure("rpc");
      LOG.warn("receipt batch {}: {}", b.id(), error);
      return Step.FAILED;
    }
  }

  /** A batch whose commit was sent (by this run or one that crashed): its receipt decides. */
  private Step resume(Batch b) {
    Optional<TransactionReceipt> r = sender.await(b.transaction(), options.confirmations(), Duration.ZERO);
    if (r.isPresent()) {
      return settle(b, b.transaction(), r.get());
    }
    if (sender.receipt(b.transaction()).isEmpty() && !sender.known(b.transaction())) {
      return fail(b, "dropped", "the commit transaction " + b.transaction() + " is unknown to the chain (dropped, or"
          + " never broadcast before a crash); the batch is sent again");
    }
    String tx = replaceIfStuck(b).orElse(b.transaction());
    r = sender.await(tx, options.confirmations(), options.receiptTimeout());
    return r.isPresent() ? settle(b, tx, r.get()) : Step.WAITING;
  }

  /**
   * Replaces the batch's commit when it has sat unmined {@code replaceAfter} (fee below what the chain asks now): the
   * same call at the same nonce with fees bumped, its hash recorded before it is broadcast. If the original is mined
   * after all, the replacement is dropped and the next tick finds the root on chain ({@link #reconcile}). When the
   * receipt key is also the facilitator key, this is what unblocks that key's queue for claims, which never replace
   * a commit themselves.
   */
  private Optional<String> replaceIfStuck(Batch b) {
    Instant now = clock.instant();
    Instant sent = lastSent.computeIfAbsent(b.id(), id -> now);
    if (now.isBefore(sent.plus(options.replaceAfter()))) {
      return Optional.empty();
    }
    lastSent.put(b.id(), now);
    Optional<String> replacement;
    try {
      replacement = sender.replaceIfPending(b.transaction(), options.gasPriceCap(), purpose(b),
          hash -> log.markSubmitted(b.id(), hash));
    } catch (RuntimeException e) {
      // The replacement's hash may be recorded while its broadcast failed: point the batch back at the original,
      // which is still pending. Had the replacement gone out and landed, the original is then unknown to the chain,
      // the batch is failed back and reconciling finds the root on chain.
      try {
        log.markSubmitted(b.id(), b.transaction());
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      LOG.warn("receipt batch {}: replacing its commit {}, unmined for {}, failed: {}; retrying after {}", b.id(),
          b.transaction(), options.replaceAfter(), e.getMessage(), options.replaceAfter());
      return Optional.empty();
    }
    if (replacement.isPresent()) {
      metrics.replaced();
      LOG.warn("receipt batch {} (receipts {}..{}): its commit {} was unmined for {}; replaced by {} (same nonce, fees"
          + " raised by at least 12.5%)", b.id(), b.firstSeq(), b.lastSeq(), b.transaction(), options.replaceAfter(),
          replacement.get());
    } else if (sender.receipt(b.transaction()).isEmpty()) {
      LOG.warn("receipt batch {}: its commit {} is unmined after {} and was not replaced (no longer pending, or the"
          + " gas price cap {} leaves no room for a 12.5% higher fee); it waits", b.id(), b.transaction(),
          options.replaceAfter(), options.gasPriceCap().map(c -> c + " wei").orElse("(none)"));
    }
    return replacement;
  }

  private static TransactionSender.Purpose purpose(Batch b) {
    return new TransactionSender.Purpose(TransactionSender.Kind.ANCHOR, "receipt root commit of receipts "
        + b.firstSeq() + ".." + b.lastSeq());
  }

  /** A prepared batch: already on chain (mark it), conflicting (stop), or free (send it). */
  private Step reconcileAndSend(Batch b) {
    Optional<Step> known = reconcile(b);
    if (known.isPresent()) {
      return known.get();
    }
    String data = contract.commitCall(b.root(), b.firstSeq(), b.lastSeq());
    BigInteger gas;
    try {
      gas = sender.simulate(contract.anchor().toLowerHex(), data);
    } catch (TransactionSender.Reverted e) {
      return reverted(b, e.reason());
    }
    String tx;
    try {
      tx = sender.send(contract.anchor().toLowerHex(), data, gas, purpose(b), hash -> log.markSubmitted(b.id(), hash));
      lastSent.put(b.id(), clock.instant());
    } catch (ChainRpcException e) {
      if (String.valueOf(e.getMessage()).contains("insufficient funds")) {
        // The node refused the transaction outright: nothing is in flight, the batch can be failed back.
        return fail(b, "insufficient_funds", "the receipt key " + signer.toChecksumString() + " cannot pay the"
            + " commit's gas (" + e.getMessage() + "); fund it with the chain's native currency");
      }
      throw e;
    }
    LOG.info("receipt batch {} (receipts {}..{}, root {}) sent in {}", b.id(), b.firstSeq(), b.lastSeq(), b.root(), tx);
    Optional<TransactionReceipt> r = sender.await(tx, options.confirmations(), options.receiptTimeout());
    return r.isPresent() ? settle(b, tx, r.get()) : Step.WAITING;
  }

  /**
   * What the chain already holds for the batch's range: the same commitment (the batch is committed), an
   * overlapping different one (a conflict), or nothing (empty: send).
   */
  private Optional<Step> reconcile(Batch b) {
    Optional<AnchorContract.OnChain> latest = contract.latest();
    if (latest.isEmpty() || latest.get().lastSeq() < b.firstSeq()) {
      return Optional.empty();
    }
    Optional<AnchorContract.OnChain> covering = contract.covering(b.firstSeq());
    if (covering.isPresent() && covering.get().sameAs(b.root(), b.firstSeq(), b.lastSeq())) {
      AnchorContract.OnChain c = covering.get();
      Optional<AnchorContract.Landed> landed = contract.landed(c);
      String tx = landed.map(AnchorContract.Landed::transaction).orElse(b.transaction());
      if (tx != null && !tx.equalsIgnoreCase(String.valueOf(b.transaction()))) {
        log.markSubmitted(b.id(), tx);
      }
      log.markCommitted(b.id(), c.index(), landed.map(AnchorContract.Landed::blockNumber).orElse(-1L));
      notBefore.remove(b.id());
      lastSent.remove(b.id());
      metrics.committed("reconciled", b.lastSeq() - b.firstSeq() + 1, 0);
      LOG.info("receipt batch {} (receipts {}..{}) was already committed on chain as commitment {} in {}; marked"
          + " committed", b.id(), b.firstSeq(), b.lastSeq(), c.index(), tx);
      return Optional.of(Step.COMMITTED);
    }
    String onChain = covering.map(c -> "commitment " + c.index() + " covers receipts " + c.firstSeq() + ".."
        + c.lastSeq() + " with root " + c.root())
        .orElse("the stream's last commitment " + latest.get().index() + " already reaches receipt "
            + latest.get().lastSeq());
    return Optional.of(conflict(b, onChain));
  }

  private Step settle(Batch b, String tx, TransactionReceipt r) {
    if (r.isStatusOK()) {
      Optional<Long> index = contract.committedIndex(r, b.root(), b.firstSeq(), b.lastSeq());
      if (index.isEmpty()) {
        return fail(b, "reverted", "transaction " + tx + " succeeded but emitted no ReceiptsCommitted event for"
            + " receipts " + b.firstSeq() + ".." + b.lastSeq() + "; is " + contract.anchor() + " the ReceiptAnchor?");
      }
      log.markCommitted(b.id(), index.get(), r.getBlockNumber().longValueExact());
      notBefore.remove(b.id());
      lastSent.remove(b.id());
      metrics.committed("committed", b.lastSeq() - b.firstSeq() + 1, r.getGasUsed().longValue());
      LOG.info("receipt batch {} committed: receipts {}..{} of {}, root {}, commitment {}, block {}, gas {}", b.id(),
          b.firstSeq(), b.lastSeq(), signer, b.root(), index.get(), r.getBlockNumber(), r.getGasUsed());
      return Step.COMMITTED;
    }
    return reverted(b, sender.revertReasonOf(r));
  }

  /** A commit that reverted (in simulation or on chain), explained in words the operator can act on. */
  private Step reverted(Batch b, String reason) {
    if (reason != null && reason.contains("NotReceiptSigner")) {
      return fail(b, "not_receipt_signer", "the receipt key " + signer.toChecksumString() + " is not a registered"
          + " receipt signer of provider " + contract.provider().toChecksumString() + "; register it in the"
          + " ServiceRegistry (receiptSigner of an active service of the provider) or configure the registered key");
    }
    if (reason != null && reason.contains("RangeOverlaps")) {
      Optional<Step> known = reconcile(b);
      if (known.isPresent()) {
        return known.get();
      }
    }
    return fail(b, "reverted", "commit of receipts " + b.firstSeq() + ".." + b.lastSeq() + " reverted: " + reason);
  }

  private Step fail(Batch b, String reason, String error) {
    log.markFailed(b.id(), error);
    backOff(b, b.attempts() + 1);
    lastError = error;
    metrics.failure(reason);
    LOG.warn("receipt batch {} (receipts {}..{}) failed, attempt {}: {}", b.id(), b.firstSeq(), b.lastSeq(),
        b.attempts() + 1, error);
    return Step.FAILED;
  }

  private Step conflict(Batch b, String onChain) {
    String error = "CONFLICT: the chain already holds a different commitment for receipts " + b.firstSeq() + ".."
        + b.lastSeq() + " of signer " + signer.toChecksumString() + " (provider " + contract.provider().toChecksumString()
        + "): " + onChain + ", while this journal's batch " + b.id() + " has root " + b.root() + ". Another journal"
        + " signs with the same receipt key (a restored backup, or two nodes sharing the key), or this journal is"
        + " damaged. Anchoring is stopped; proofs for these receipts cannot be served. Give each node its own receipt"
        + " key, then restart the node.";
    conflict = error;
    log.markFailed(b.id(), error);
    metrics.failure("conflict");
    LOG.error(error);
    return Step.FAILED;
  }

  private void backOff(Batch b, int failures) {
    notBefore.put(b.id(), clock.instant().plus(options.backoff(failures)));
  }

  private void refreshGauges() {
    long last = log.lastSeq(signer);
    List<Batch> open = log.openBatches(signer);
    long committedUpTo = open.isEmpty() ? log.lastBatchedSeq(signer) : open.getFirst().firstSeq() - 1;
    metrics.state(Math.max(0, last - committedUpTo), open.size(), committedUpTo, conflict != null);
  }

  // ---- status

  /** The conflict that stopped anchoring, if any. */
  public Optional<String> conflict() {
    return Optional.ofNullable(conflict);
  }

  /** When a batch may next be tried, if it is backing off. */
  Optional<Instant> retryAt(long batchId) {
    return Optional.ofNullable(notBefore.get(batchId));
  }

  /** Seconds a caller should wait before asking again for a proof of a receipt in {@code batch} (or none yet). */
  long retryAfterSeconds(Optional<Batch> batch) {
    Instant now = clock.instant();
    Instant at;
    if (batch.isEmpty()) {
      Instant since = waitingSince;
      at = (since == null ? now : since).plus(options.interval()).plus(options.tickInterval());
    } else {
      at = retryAt(batch.get().id()).orElse(now).plus(options.tickInterval());
    }
    return Math.max(1, (Duration.between(now, at).toMillis() + 999) / 1000);
  }

  /** The admin report: the stream, what is open and why, the last error, any conflict. */
  public AnchorStatus status() {
    List<Batch> open = log.openBatches(signer);
    long last = log.lastSeq(signer);
    long committedUpTo = open.isEmpty() ? log.lastBatchedSeq(signer) : open.getFirst().firstSeq() - 1;
    return new AnchorStatus(contract.anchor(), contract.chainId(), contract.provider(), signer, last,
        log.lastBatchedSeq(signer), committedUpTo, open.stream().map(b -> new AnchorStatus.OpenBatch(b.id(),
        b.firstSeq(), b.lastSeq(), b.root().toString(), b.status().name(), b.transaction(), b.attempts(), b.lastError(),
        retryAt(b.id()).map(Instant::toString).orElse(null))).toList(), Optional.ofNullable(lastError),
        Optional.ofNullable(conflict), Optional.ofNullable(lastRound).map(Instant::toString), leadership.status());
  }

  /** Stops the rounds, then gives up leadership (another replica takes over at its next tick). */
  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.close();
      ticker = null;
    }
    leadership.close();
  }
}
