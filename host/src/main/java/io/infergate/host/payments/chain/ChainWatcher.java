package io.infergate.host.payments.chain;

import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.host.payments.ledger.ChannelConfig;
import io.infergate.host.payments.ledger.ChannelLedger;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/*
 * Design notes.
 *
 * Why no chain RPC on the hot path: the payment gate reads channel state from the ledger only; this class
 * keeps that mirror current in the background, so a slow or dead RPC delays the mirror, never a paid call.
 *
 * What is applied: events only say *which* channels changed. For those channels the three views
 * (channels, pendingWithdrawals, refundNonce) are read at the poll's target block and applied with that block
 * number. The mirror is therefore always an exact on-chain state as of one block, never an arithmetic sum of
 * event deltas that a missed or repeated log could skew; applyChainState ignores older blocks, so repeats and
 * overlaps are harmless. Views are read at the target (not at each log's block) so a catch-up over old ranges
 * works on non-archive nodes.
 *
 * Progress: the last processed block and its hash go to WatcherCheckpoint after the ledger writes. On start
 * the watcher resumes after it; if that block's hash changed (reorg), it rewinds reorgRewind blocks and
 * re-reads the channels touched there. A channel whose only event vanished in a reorg keeps its mirror until
 * its next event (confirmations > 0 on real chains keeps that window closed).
 */
/**
 * Mirrors the on-chain state of {@code BatchSettlement} channels into the {@link ChannelLedger}: polls the head
 * block, reads the contract's events in block ranges and applies the affected channels' state.
 *
 * <pre>{@code
 * ChainWatcher watcher = ChainWatcher.create(chain, ledger, WatcherCheckpoint.in(ledger.database()), options, metrics);
 * watcher.start();   // background polling; or pollOnce() from a test
 * }</pre>
 */
public final class ChainWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChainWatcher.class);
  private static final String CREATED = EventEncoder.encode(BatchSettlement.CHANNELCREATED_EVENT);
  private static final String CLAIMED = EventEncoder.encode(BatchSettlement.CLAIMED_EVENT);
  private static final String SETTLED = EventEncoder.encode(BatchSettlement.SETTLED_EVENT);

  private final SettlementChain chain;
  private final ChannelLedger ledger;
  private final WatcherCheckpoint checkpoint;
  private final ChainWatcherOptions options;
  private final ChainMetrics metrics;
  private final String name;
  private final AtomicLong head = new AtomicLong(-1);
  private final AtomicLong processed = new AtomicLong(-1);
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private final Object pollLock = new Object();
  private PeriodicTask poller;

  private ChainWatcher(SettlementChain chain, ChannelLedger ledger, WatcherCheckpoint checkpoint,
      ChainWatcherOptions options, ChainMetrics metrics) {
    this.chain = chain;
    this.ledger = ledger;
    this.checkpoint = checkpoint;
    this.options = options;
    this.metrics = metrics;
    this.name = chain.chainId() + ":" + chain.contract();
    checkpoint.load(name).ifPresent(p -> processed.set(p.block()));
    metrics.watchWatcher(this);
  }

  public static ChainWatcher create(SettlementChain chain, ChannelLedger ledger, WatcherCheckpoint checkpoint,
      ChainWatcherOptions options, ChainMetrics metrics) {
    return new ChainWatcher(Objects.requireNonNull(chain, "chain"), Objects.requireNonNull(ledger, "ledger"),
        Objects.requireNonNull(checkpoint, "checkpoint"), Objects.requireNonNull(options, "options"),
        Objects.requireNonNull(metrics, "metrics"));
  }

  /** Polls every {@code pollInterval} on a daemon thread until {@link #close()}. */
  public synchronized void start() {
    if (poller != null) {
      return;
    }
    poller = PeriodicTask.start("chain-watcher", options.pollInterval(), Duration.ofSeconds(5), this::pollQuietly);
  }

  private void pollQuietly() {
    try {
      pollOnce();
      if (lastError.getAndSet(null) != null) {
        LOG.info("chain watcher {} reaches the chain again", name);
      }
    } catch (RuntimeException e) {
      String previous = lastError.getAndSet(e.getMessage());
      if (!Objects.equals(previous, e.getMessage())) {
        LOG.warn("chain watcher {} cannot follow the chain (serving from the mirror as of block {}): {}", name,
            processed.get(), e.getMessage());
      }
    }
  }

  /** One round: catches up to the confirmed head. Returns the last processed block (-1 before the first). */
  public long pollOnce() {
    synchronized (pollLock) {
      return catchUp();
    }
  }

  private long catchUp() {
    long h = chain.headBlock();
    head.set(h);
    long target = h - options.confirmations();
    long from = resumeFrom();
    while (from <= target) {
      long to = Math.min(target, from + options.maxBlockRange() - 1);
      apply(chain.logs(from, to), target);
      SettlementChain.BlockRef ref = chain.block(to);
      if (ref == null) {
        throw new ChainRpcException("block " + to + " vanished while processing it (reorg); retrying next poll");
      }
      checkpoint.save(name, new WatcherCheckpoint.Progress(to, ref.hash()));
      processed.set(to);
      from = to + 1;
    }
    return processed.get();
  }

  /** The first block still to process: after the checkpoint, or further back if its block was reorged away. */
  private long resumeFrom() {
    Optional<WatcherCheckpoint.Progress> saved = checkpoint.load(name);
    if (saved.isEmpty()) {
      return options.startBlock();
    }
    WatcherCheckpoint.Progress p = saved.get();
    SettlementChain.BlockRef now = chain.block(p.block());
    if (now != null && now.hash().equalsIgnoreCase(p.hash())) {
      return p.block() + 1;
    }
    long back = Math.max(options.startBlock(), p.block() - options.reorgRewind() + 1);
    LOG.warn("chain watcher {}: block {} changed hash ({} -> {}); re-reading from block {}", name, p.block(),
        p.hash(), now == null ? "gone" : now.hash(), back);
    return back;
  }

  private void apply(List<Log> logs, long block) {
    Set<String> touched = new LinkedHashSet<>();
    Map<String, String[]> receivers = new LinkedHashMap<>();
    for (Log log : logs) {
      String topic = log.getTopics().getFirst();
      if (topic.equalsIgnoreCase(SETTLED)) {
        BatchSettlement.SettledEventResponse e = BatchSettlement.getSettledEventFromLog(log);
        if (options.mirrors(e.receiver)) {
          receivers.put(key(e.receiver, e.token), new String[] {e.receiver, e.token});
        }
        continue;
      }
      String id = log.getTopics().get(1).toLowerCase(Locale.ROOT);
      if (topic.equalsIgnoreCase(CREATED)) {
        BatchSettlement.ChannelConfig c = BatchSettlement.getChannelCreatedEventFromLog(log).config;
        if (options.mirrors(c.receiver)) {
          ledger.upsertChannel(id, ledgerConfig(c));
        }
      }
      touched.add(id);
      if (topic.equalsIgnoreCase(CLAIMED)) {
        ledger.get(id).ifPresent(s -> receivers.put(key(s.config().receiver(), s.config().token()),
            new String[] {s.config().receiver(), s.config().token()}));
      }
    }
    List<String> known = touched.stream().filter(id -> ledger.get(id).isPresent()).toList();
    chain.channels(known, block).forEach((id, s) -> ledger.applyChainState(id, s.balance(), s.totalClaimed(),
        s.withdrawInitiatedAt(), s.refundNonce(), block));
    for (String[] r : receivers.values()) {
      BigInteger[] totals = chain.receiverTotals(r[0], r[1], block);
      ledger.applyReceiverState(r[0], r[1], totals[0], totals[1], block);
    }
  }

  private static String key(String receiver, String token) {
    return (receiver + "/" + token).toLowerCase(Locale.ROOT);
  }

  /** The ledger's form of a config decoded from an event or built for a transaction. */
  static ChannelConfig ledgerConfig(BatchSettlement.ChannelConfig c) {
    return new ChannelConfig(c.payer, c.payerAuthorizer, c.receiver, c.receiverAuthorizer, c.token,
        c.withdrawDelay.longValueExact(), Numeric.toHexString(c.salt));
  }

  /** The last block whose events are in the ledger (-1 before the first poll with no checkpoint). */
  public long processedBlock() {
    return processed.get();
  }

  /** Blocks between the chain head last seen and the last processed block (confirmations included). */
  public long headLag() {
    long h = head.get();
    return h < 0 ? 0 : Math.max(0, h - processed.get());
  }

  /** Why the last poll failed, empty while the watcher follows the chain (for readiness). */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError.get());
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.close();
      poller = null;
    }
  }
}
