package io.infergate.client.channel;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.wire.ChannelState;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * One channel as the client knows it: its config and where it stands. Immutable; the {@link
 * io.infergate.client.store.ChannelStore} returns a fresh one after every change.
 *
 * <pre>{@code
 * ChannelRecord ch = store.find(channelId).orElseThrow();
 * BigInteger left = ch.balance().subtract(ch.charged());
 * }</pre>
 *
 * @param channelId the EIP-712 id of {@code config} under the channel contract's domain
 * @param config the channel's configuration
 * @param chainId the chain
 * @param contract the channel contract (EIP-712 verifying contract)
 * @param index the derivation index of its salt (see {@link ChannelTerms#config})
 * @param keyId the address of the key that signs its vouchers (the store never holds keys)
 * @param signedMax the highest voucher ceiling signed so far (0 before the first)
 * @param signature the signature of that voucher, or null before the first
 * @param charged the cumulative charge the node acknowledged
 * @param lastState the channel state of the last accepted {@code PAYMENT-RESPONSE}, corrective 402 or chain read;
 *     null before any
 * @param quarantineReason why the client stopped using the channel, or null while it is usable
 */
public record ChannelRecord(Bytes32 channelId, ChannelConfig config, long chainId, Address contract, int index,
    Address keyId, BigInteger signedMax, String signature, BigInteger charged, ChannelState lastState,
    String quarantineReason) {

  public ChannelRecord {
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(signedMax, "signedMax");
    Objects.requireNonNull(charged, "charged");
  }

  /** The terms this channel pays on. */
  public ChannelTerms terms() {
    return new ChannelTerms("eip155:" + chainId, config.receiver(), config.token(), config.receiverAuthorizer(),
        config.withdrawDelay());
  }

  /** The last known balance (0 when none is known yet). */
  public BigInteger balance() {
    return lastState == null ? BigInteger.ZERO : lastState.balance();
  }

  /** True when the client stopped using this channel. */
  public boolean quarantined() {
    return quarantineReason != null;
  }

  /** Why the channel is quarantined, if it is. */
  public Optional<String> quarantine() {
    return Optional.ofNullable(quarantineReason);
  }
}
