package io.infergate.host.payments.ledger;

import java.time.Instant;

/**
 * Another owner holds the channel's lease. The gate answers {@code invalid_batch_settlement_evm_channel_busy};
 * the client may retry once the holder is done or, at the latest, after {@link #heldUntil()}.
 */
public final class ChannelBusyException extends LedgerException {
  private static final long serialVersionUID = 1L;
  private final String channelId;
  private final transient Instant heldUntil;

  public ChannelBusyException(String channelId, Instant heldUntil) {
    super("channel " + channelId + " is being processed by another request until at most " + heldUntil
        + "; retry after it completes");
    this.channelId = channelId;
    this.heldUntil = heldUntil;
  }

  public String channelId() {
    return channelId;
  }

  public Instant heldUntil() {
    return heldUntil;
  }
}
