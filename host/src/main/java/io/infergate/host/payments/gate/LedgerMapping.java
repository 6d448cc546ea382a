package io.infergate.host.payments.gate;

import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.payments.verify.ChannelView;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.Hex;
import io.infergate.x402.eip712.ChannelConfig;

/** Converts between the ledger's stored channel (lower-case hex strings) and the protocol's types. */
final class LedgerMapping {
  private LedgerMapping() {}

  static io.infergate.host.payments.ledger.ChannelConfig toLedger(ChannelConfig c) {
    return io.infergate.host.payments.ledger.ChannelConfig.from(c);
  }

  /** The verifier's view of a channel the ledger holds. */
  static ChannelView view(ChannelConfig config, ChannelState s) {
    return new ChannelView(config, s.chargedCumulativeAmount(),
        s.voucher().map(v -> v.maxClaimableAmount()).orElse(null),
        s.voucher().map(v -> Hex.encode(v.signature())).orElse(null),
        s.chain().balance(), s.chain().totalClaimed(), s.chain().withdrawRequestedAt(), s.chain().refundNonce());
  }

  /** The channel snapshot sent in {@code PAYMENT-RESPONSE}. */
  static io.infergate.x402.wire.ChannelState wire(ChannelState s) {
    return new io.infergate.x402.wire.ChannelState(Bytes32.parse(s.channelId()), s.chain().balance(),
        s.chain().totalClaimed(), s.chain().withdrawRequestedAt(), s.chain().refundNonce(), s.chargedCumulativeAmount());
  }
}
