package io.infergate.plugin.api;

import java.math.BigInteger;
import java.util.Objects;

/**
 * What one call costs at most, in atomic units of the node's settlement asset (for a 6-decimal USD
 * stablecoin, {@code 1000} is 0.001 USD). A service may charge less per call by returning
 * {@link InferenceOutput.Builder#charge(BigInteger)}; it can never charge more.
 *
 * <pre>{@code Price.perCall(BigInteger.valueOf(1000))}</pre>
 */
public record Price(BigInteger maxPerCall) {
  public Price {
    Objects.requireNonNull(maxPerCall, "maxPerCall");
    if (maxPerCall.signum() < 0) {
      throw new IllegalArgumentException("price must not be negative, got " + maxPerCall);
    }
    if (maxPerCall.bitLength() > 128) {
      throw new IllegalArgumentException("price " + maxPerCall + " does not fit the channel's uint128 amounts");
    }
  }

  public static Price perCall(BigInteger maxPerCall) {
    return new Price(maxPerCall);
  }

  public static Price perCall(long maxPerCall) {
    return new Price(BigInteger.valueOf(maxPerCall));
  }

  /** A service that costs nothing (still answered with a receipt when payments are on). */
  public static Price free() {
    return new Price(BigInteger.ZERO);
  }
}
