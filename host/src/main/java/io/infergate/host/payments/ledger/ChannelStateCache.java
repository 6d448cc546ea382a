package io.infergate.host.payments.ledger;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The last committed state of the channels a SQLite ledger has read or charged, so that the paid path reads no
 * SQL: only this process can write the ledger file ({@link LedgerFileLock}), so what it committed last is what the
 * file holds. Reads need no lock. Every change happens under the ledger's write lock and after the transaction it
 * describes has ended: {@link #remember} once a charge committed (or a refusal re-read the row), {@link #forgetAll}
 * after any other write, since a unit of work may touch any channel row.
 */
final class ChannelStateCache {
  private final ConcurrentHashMap<String, ChannelState> byChannel = new ConcurrentHashMap<>();

  /** The channel's last committed state, or null if this cache does not know it (read it from the file). */
  ChannelState get(String channelId) {
    return byChannel.get(channelId);
  }

  void remember(ChannelState state) {
    byChannel.put(state.channelId(), state);
  }

  void forget(String channelId) {
    byChannel.remove(channelId);
  }

  void forgetAll() {
    byChannel.clear();
  }
}
