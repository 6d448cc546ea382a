package io.infergate.host.payments.ledger;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The last committed state of the channels a SQLite ledger has read or charged, so that the paid path reads no
 * SQL: only this process can write the ledger file ({@link LedgerFileLock}), so what it committed last is what the
 * file holds. Reads need no lock. Every change happens under the ledger's write lock and after the transaction it
 * describes has ended: {@link #remember} once a charge committed (or a refusal re-read the row), {@link #forgetAll}
 * after any other write, since a unit of work may touch any channel row.
 *
 * <p>Bounded: past {@link #MAX_CHANNELS} it starts over, which costs each channel one read from the file; a node
 * with that many channels in use at once is rare, and a memory that grows with every channel ever seen is worse.
 */
final class ChannelStateCache {
  /** A few hundred bytes to a kilobyte each: tens of MB at most. */
  static final int MAX_CHANNELS = 50_000;

  private final ConcurrentHashMap<String, ChannelState> byChannel = new ConcurrentHashMap<>();

  /** The channel's last committed state, or null if this cache does not know it (read it from the file). */
  ChannelState get(String channelId) {
    return byChannel.get(channelId);
  }

  void remember(ChannelState state) {
    if (byChannel.size() >= MAX_CHANNELS && !byChannel.containsKey(state.channelId())) {
      byChannel.clear();
    }
    byChannel.put(state.channelId(), state);
  }

  void forget(String channelId) {
    byChannel.remove(channelId);
  }

  void forgetAll() {
    byChannel.clear();
  }
}
