package io.infergate.x402.wire;

import io.infergate.x402.eip712.ChannelConfig;
import java.math.BigInteger;
import java.util.Objects;

/**
 * {@code PaymentPayload.payload} for {@code batch-settlement}: every kind carries the channel config and a signed
 * voucher; {@code type} on the wire selects the kind.
 */
public sealed interface SchemePayload {
  /** The wire {@code type}: {@code deposit}, {@code voucher} or {@code refund}. */
  String type();

  ChannelConfig channelConfig();

  SignedVoucher voucher();

  /** First request or top-up: a voucher plus a token authorization the server submits as facilitator. */
  record DepositPayload(ChannelConfig channelConfig, SignedVoucher voucher, Deposit deposit) implements SchemePayload {
    public DepositPayload {
      Objects.requireNonNull(channelConfig, "channelConfig");
      Objects.requireNonNull(voucher, "voucher");
      Objects.requireNonNull(deposit, "deposit");
    }

    @Override
    public String type() {
      return "deposit";
    }
  }

  /** The steady state: a new cumulative voucher. */
  record VoucherPayload(ChannelConfig channelConfig, SignedVoucher voucher) implements SchemePayload {
    public VoucherPayload {
      Objects.requireNonNull(channelConfig, "channelConfig");
      Objects.requireNonNull(voucher, "voucher");
    }

    @Override
    public String type() {
      return "voucher";
    }
  }

  /**
   * A cooperative refund: a zero-charge voucher ({@code maxClaimableAmount == chargedCumulativeAmount}) and the
   * amount to return, null for everything unclaimed.
   */
  record RefundPayload(ChannelConfig channelConfig, SignedVoucher voucher, BigInteger amount) implements SchemePayload {
    public RefundPayload {
      Objects.requireNonNull(channelConfig, "channelConfig");
      Objects.requireNonNull(voucher, "voucher");
    }

    @Override
    public String type() {
      return "refund";
    }
  }
}
