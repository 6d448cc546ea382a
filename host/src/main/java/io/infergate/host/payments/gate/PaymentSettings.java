package io.infergate.host.payments.gate;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.eip712.Eip712Domain;
import java.time.Duration;

/**
 * What the gate offers and checks against: the chain and contracts, the asset (with its EIP-712 name and
 * version, which clients need to sign ERC-3009 deposits), who is paid, who authorizes claims, the
 * withdrawal delay channels must use, and how long a channel stays leased to one call.
 */
public record PaymentSettings(long chainId, Address batchSettlement, Address erc3009Collector, Address asset,
    String assetName, String assetVersion, Address payTo, Address receiverAuthorizer, long withdrawDelaySeconds,
    long maxTimeoutSeconds, Duration leaseTtl) {

  /** The EIP-712 domain of the channel contract (channel ids and vouchers are hashed under it). */
  public Eip712Domain channelDomain() {
    return Eip712Domain.batchSettlement(chainId, batchSettlement);
  }
}
