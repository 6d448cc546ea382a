package io.infergate.x402.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.x402.crypto.Address;
import java.util.Map;
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
 * @param otherMembers members this code does not interpret (e.g. the reference server's {@code minDeposit} hint),
 *     kept as received so that a client echoing the offer in {@code accepted} sends it back unchanged
 */
public record BatchSettlementExtra(Address receiverAuthorizer, long withdrawDelay, String name, String version,
    String assetTransferMethod, ChannelState channelState, VoucherState voucherState,
    Map<String, JsonNode> otherMembers) {
  public BatchSettlementExtra {
    Objects.requireNonNull(receiverAuthorizer, "receiverAuthorizer");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    otherMembers = otherMembers == null ? Map.of() : java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(otherMembers));
  }

  /** The plain offer's extra (no corrective state). */
  public static BatchSettlementExtra of(Address receiverAuthorizer, long withdrawDelay, String name, String version) {
    return new BatchSettlementExtra(receiverAuthorizer, withdrawDelay, name, version, null, null, null, Map.of());
  }

  /** This extra with the corrective state a cumulative-mismatch 402 carries. */
  public BatchSettlementExtra withCorrection(ChannelState channel, VoucherState voucher) {
    return new BatchSettlementExtra(receiverAuthorizer, withdrawDelay, name, version, assetTransferMethod, channel,
        voucher, otherMembers);
  }
}
