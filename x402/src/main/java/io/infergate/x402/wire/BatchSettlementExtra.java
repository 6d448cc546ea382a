package io.infergate.x402.wire;

import io.infergate.x402.crypto.Address;
import java.util.Objects;

/**
 * {@code PaymentRequirements.extra} for {@code batch-settlement}: the server's channel parameters, the token's
 * EIP-712 domain, and on a corrective 402 the state to resync from.
 *
 * @param receiverAuthorizer signs claims and refunds (never zero)
 * @param withdrawDelay the channel's timed-withdrawal delay in seconds
 * @param name the token's EIP-712 domain name (ERC-3009 signatures)
 * @param version the token's EIP-712 domain version
 * @param assetTransferMethod {@code "eip3009"} (default when null) or {@code "permit2"}
 * @param channelState corrective 402 only; null otherwise
 * @param voucherState corrective 402 only; null otherwise
 */
public record BatchSettlementExtra(Address receiverAuthorizer, long withdrawDelay, String name, String version,
    String assetTransferMethod, ChannelState channelState, VoucherState voucherState) {
  public BatchSettlementExtra {
    Objects.requireNonNull(receiverAuthorizer, "receiverAuthorizer");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
  }

  /** The plain offer's extra (no corrective state). */
  public static BatchSettlementExtra of(Address receiverAuthorizer, long withdrawDelay, String name, String version) {
    return new BatchSettlementExtra(receiverAuthorizer, withdrawDelay, name, version, null, null, null);
  }

  /** This extra with the corrective state a cumulative-mismatch 402 carries. */
  public BatchSettlementExtra withCorrection(ChannelState channel, VoucherState voucher) {
    return new BatchSettlementExtra(receiverAuthorizer, withdrawDelay, name, version, assetTransferMethod, channel, voucher);
  }
}
