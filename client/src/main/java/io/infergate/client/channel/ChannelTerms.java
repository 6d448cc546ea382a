package io.infergate.client.channel;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.wire.PaymentRequirements;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a channel must agree with to pay an offer: network, receiver ({@code payTo}), token ({@code asset}),
 * receiver authorizer and withdrawal delay. Two offers with equal terms are paid from the same channel.
 *
 * <p>Salts are derived, not random: {@link #config} hashes the terms, the payer, the voucher key and a small
 * index, so a client that lost its store can rebuild every channel it ever opened from its key and the node's
 * offer ({@code recover}). The salt is not a secret; it only tells channels with equal terms apart.
 *
 * <pre>{@code
 * ChannelTerms terms = ChannelTerms.of(offer);
 * ChannelConfig config = terms.config(payer.address(), signer.address(), 0);
 * }</pre>
 *
 * @param network CAIP-2 network, {@code eip155:<chainId>}
 * @param payTo the channel's receiver
 * @param asset the token
 * @param receiverAuthorizer who signs claims and refunds for the receiver
 * @param withdrawDelay the timed-withdrawal delay in seconds
 */
public record ChannelTerms(String network, Address payTo, Address asset, Address receiverAuthorizer, long withdrawDelay) {
  public ChannelTerms {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(payTo, "payTo");
    Objects.requireNonNull(asset, "asset");
    Objects.requireNonNull(receiverAuthorizer, "receiverAuthorizer");
  }

  /** The terms of a {@code batch-settlement} offer. */
  public static ChannelTerms of(PaymentRequirements offer) {
    return new ChannelTerms(offer.network(), offer.payTo(), offer.asset(), offer.extra().receiverAuthorizer(),
        offer.extra().withdrawDelay());
  }

  /** The EVM chain id of {@link #network()}. */
  public long chainId() {
    if (!network.startsWith("eip155:")) {
      throw new IllegalArgumentException("network must be eip155:<chainId>, got " + network);
    }
    return Long.parseLong(network.substring(7));
  }

  /** The config of this client's channel number {@code index} on these terms (see the class doc for the salt). */
  public ChannelConfig config(Address payer, Address voucherSigner, int index) {
    String seed = "infergate-client/channel/v1|" + network + "|" + payer.toLowerHex() + "|" + voucherSigner.toLowerHex()
        + "|" + payTo.toLowerHex() + "|" + asset.toLowerHex() + "|" + receiverAuthorizer.toLowerHex() + "|"
        + withdrawDelay + "|" + index;
    Bytes32 salt = Bytes32.keccak(seed.getBytes(StandardCharsets.UTF_8));
    return new ChannelConfig(payer, voucherSigner, payTo, receiverAuthorizer, asset, withdrawDelay, salt);
  }
}
