package io.infergate.host.payments.chain;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the {@link ChainWatcher} follows the chain.
 *
 * @param pollInterval how often to ask for the head block ({@code eth_blockNumber})
 * @param confirmations blocks that must be on top of a block before its events are mirrored (0: at once)
 * @param maxBlockRange most blocks per {@code eth_getLogs} call (public RPCs cap this, often at 1000-10000)
 * @param startBlock where to begin when there is no checkpoint yet (the contract's deployment block)
 * @param reorgRewind how many blocks to re-read when the checkpointed block's hash changed under the watcher
 * @param receivers mirror only channels paying these addresses (lower-case hex); empty mirrors every channel
 */
public record ChainWatcherOptions(Duration pollInterval, int confirmations, int maxBlockRange, long startBlock,
    int reorgRewind, Set<String> receivers) {
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_CONFIRMATIONS = 0;
  public static final int DEFAULT_MAX_BLOCK_RANGE = 2000;
  public static final int DEFAULT_REORG_REWIND = 64;

  public ChainWatcherOptions {
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("payments.chain.watcher.poll-interval must be positive, got " + pollInterval);
    }
    if (confirmations < 0) {
      throw new IllegalArgumentException("payments.chain.watcher.confirmations must be >= 0, got " + confirmations);
    }
    if (maxBlockRange < 1) {
      throw new IllegalArgumentException("payments.chain.watcher.max-block-range must be >= 1, got " + maxBlockRange);
    }
    if (startBlock < 0 || reorgRewind < 1) {
      throw new IllegalArgumentException("payments.chain.watcher.start-block must be >= 0 and reorg-rewind >= 1");
    }
    receivers = receivers.stream().map(r -> r.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }

  /** Every channel, from block 0, one-second polling, no confirmations (dev chains). */
  public static ChainWatcherOptions defaults() {
    return new ChainWatcherOptions(DEFAULT_POLL_INTERVAL, DEFAULT_CONFIRMATIONS, DEFAULT_MAX_BLOCK_RANGE, 0,
        DEFAULT_REORG_REWIND, Set.of());
  }

  public ChainWatcherOptions withPollInterval(Duration d) {
    return new ChainWatcherOptions(d, confirmations, maxBlockRange, startBlock, reorgRewind, receivers);
  }

  public ChainWatcherOptions withConfirmations(int n) {
    return new ChainWatcherOptions(pollInterval, n, maxBlockRange, startBlock, reorgRewind, receivers);
  }

  public ChainWatcherOptions withMaxBlockRange(int n) {
    return new ChainWatcherOptions(pollInterval, confirmations, n, startBlock, reorgRewind, receivers);
  }

  public ChainWatcherOptions withStartBlock(long n) {
    return new ChainWatcherOptions(pollInterval, confirmations, maxBlockRange, n, reorgRewind, receivers);
  }

  public ChainWatcherOptions withReceivers(Set<String> r) {
    return new ChainWatcherOptions(pollInterval, confirmations, maxBlockRange, startBlock, reorgRewind, r);
  }

  boolean mirrors(String receiver) {
    return receivers.isEmpty() || receivers.contains(receiver.toLowerCase(Locale.ROOT));
  }
}
