package io.infergate.host.payments.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SQLite ledger's memory of channel states stays bounded, and a known channel is replaced, never dropped. */
class ChannelStateCacheTest {

  private static ChannelState state(int n, long version) {
    return new ChannelState(TestLedgers.channelId(n), TestLedgers.CONFIG, BigInteger.ZERO, Optional.empty(),
        Optional.empty(), ChainState.NONE, ClaimStatus.NONE, version);
  }

  @Test
  void pastItsBoundItStartsOverAndAKnownChannelIsUpdatedInPlace() {
    ChannelStateCache cache = new ChannelStateCache();
    for (int n = 0; n < ChannelStateCache.MAX_CHANNELS; n++) {
      cache.remember(state(n, 1));
    }
    ChannelState updated = state(7, 2);
    cache.remember(updated);
    assertSame(updated, cache.get(TestLedgers.channelId(7)), "a known channel at the bound is replaced");
    assertEquals(1, cache.get(TestLedgers.channelId(0)).version());

    cache.remember(state(ChannelStateCache.MAX_CHANNELS, 1));
    assertNull(cache.get(TestLedgers.channelId(0)), "one more channel: the rest is forgotten");
    assertEquals(1, cache.get(TestLedgers.channelId(ChannelStateCache.MAX_CHANNELS)).version());
  }
}
