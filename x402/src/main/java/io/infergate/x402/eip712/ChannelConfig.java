package io.infergate.x402.eip712;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import java.util.Objects;

/**
 * The immutable configuration that identifies a payment channel (Solidity {@code struct ChannelConfig}); its
 * EIP-712 hash under the channel contract's domain is the channel id ({@link
 * BatchSettlementTypedData#channelId(Eip712Domain, ChannelConfig)}).
 *
 * @param payer the wallet that deposits (EOA or smart wallet)
 * @param payerAuthorizer the EOA that signs vouchers, or {@link Address#ZERO} when the payer signs itself
 *     (possibly ERC-1271, which needs a chain call to verify)
 * @param receiver the provider's payout address ({@code payTo})
 * @param receiverAuthorizer the key that authorizes claims and refunds (never zero)
 * @param token the ERC-20 paid in ({@code asset})
 * @param withdrawDelay seconds a timed withdrawal waits (uint40; the contract accepts 900 s to 30 days)
 * @param salt distinguishes channels with otherwise equal fields
 */
public record ChannelConfig(Address payer, Address payerAuthorizer, Address receiver, Address receiverAuthorizer,
    Address token, long withdrawDelay, Bytes32 salt) {

  /** The contract's lower bound on {@code withdrawDelay}: 15 minutes. */
  public static final long MIN_WITHDRAW_DELAY = 900;
  /** The contract's upper bound on {@code withdrawDelay}: 30 days. */
  public static final long MAX_WITHDRAW_DELAY = 2_592_000;

  public ChannelConfig {
    Objects.requireNonNull(payer, "payer");
    Objects.requireNonNull(payerAuthorizer, "payerAuthorizer");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(receiverAuthorizer, "receiverAuthorizer");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(salt, "salt");
    if (withdrawDelay < 0 || withdrawDelay >>> 40 != 0) {
      throw new IllegalArgumentException("withdrawDelay must fit uint40, got " + withdrawDelay);
    }
  }

  /** True when vouchers are signed by the payer itself (payerAuthorizer zero): verifying needs the chain (ERC-1271). */
  public boolean payerSignsVouchers() {
    return payerAuthorizer.isZero();
  }

  /** The address whose signature a voucher must carry when {@link #payerSignsVouchers()} is false. */
  public Address voucherSigner() {
    return payerAuthorizer.isZero() ? payer : payerAuthorizer;
  }
}
