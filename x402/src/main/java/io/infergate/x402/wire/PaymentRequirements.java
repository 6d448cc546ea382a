package io.infergate.x402.wire;

import io.infergate.x402.crypto.Address;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One way to pay for a resource (an entry of {@code PaymentRequired.accepts}), here always {@code
 * batch-settlement} on an EVM chain.
 *
 * @param scheme {@code "batch-settlement"}
 * @param network CAIP-2, {@code "eip155:<chainId>"}
 * @param amount the <em>maximum</em> charge for one request, in token base units
 * @param asset the ERC-20 token
 * @param payTo the receiver (the channel's {@code receiver})
 * @param maxTimeoutSeconds how long the server may take (bounds ERC-3009 {@code validBefore})
 * @param extra the scheme's parameters
 */
public record PaymentRequirements(String scheme, String network, BigInteger amount, Address asset, Address payTo,
    long maxTimeoutSeconds, BatchSettlementExtra extra) {
  /** The scheme name. */
  public static final String BATCH_SETTLEMENT = "batch-settlement";

  public PaymentRequirements {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(asset, "asset");
    Objects.requireNonNull(payTo, "payTo");
    Objects.requireNonNull(extra, "extra");
  }

  /** A {@code batch-settlement} offer on {@code eip155:<chainId>}. */
  public static PaymentRequirements batchSettlement(long chainId, BigInteger amount, Address asset, Address payTo,
      long maxTimeoutSeconds, BatchSettlementExtra extra) {
    return new PaymentRequirements(BATCH_SETTLEMENT, network(chainId), amount, asset, payTo, maxTimeoutSeconds, extra);
  }

  /** {@code "eip155:" + chainId}. */
  public static String network(long chainId) {
    return "eip155:" + chainId;
  }

  /**
   * The EVM chain id of {@link #network()}.
   *
   * @throws IllegalArgumentException when the network is not {@code eip155:<positive integer>}
   */
  public long chainId() {
    return parseChainId(network);
  }

  static long parseChainId(String network) {
    if (network.startsWith("eip155:") && network.length() > 7 && network.length() <= 7 + 18) {
      String digits = network.substring(7);
      if (digits.chars().allMatch(c -> c >= '0' && c <= '9') && digits.charAt(0) != '0') {
        return Long.parseLong(digits);
      }
    }
    throw new IllegalArgumentException("network must be eip155:<chainId> (CAIP-2), got \"" + network + "\"");
  }

  /** These requirements with corrective channel and voucher state in {@code extra}. */
  public PaymentRequirements withCorrection(ChannelState channel, VoucherState voucher) {
    return new PaymentRequirements(scheme, network, amount, asset, payTo, maxTimeoutSeconds,
        extra.withCorrection(channel, voucher));
  }
}
