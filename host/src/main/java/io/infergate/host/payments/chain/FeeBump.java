package io.infergate.host.payments.chain;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * The fees of a replacement transaction (same sender and nonce, higher fees). Nodes accept a replacement only if
 * it raises both the fee cap and the tip by their minimum bump (go-ethereum's default is 10%), so both rise by at
 * least {@value #MIN_BUMP_PERCENT}% (and at least 1 wei), which also clears stricter nodes; and a replacement
 * should be minable now, so it also pays at least what a new transaction would: twice the latest base fee plus
 * the suggested tip.
 */
final class FeeBump {
  /** The smallest raise of both fees, in percent (one eighth). */
  static final String MIN_BUMP_PERCENT = "12.5";

  private FeeBump() {}

  /** EIP-1559 fees per gas, in wei. */
  record Fees(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
    Fees {
      Objects.requireNonNull(maxFeePerGas, "maxFeePerGas");
      Objects.requireNonNull(maxPriorityFeePerGas, "maxPriorityFeePerGas");
    }
  }

  /** {@code x} raised by 12.5%, rounded up, and by at least 1. */
  static BigInteger bumped(BigInteger x) {
    BigInteger up = x.multiply(BigInteger.valueOf(9)).add(BigInteger.valueOf(7)).divide(BigInteger.valueOf(8));
    return up.max(x.add(BigInteger.ONE));
  }

  /**
   * The replacement's fees for a transaction stuck with {@code stuck}, given the latest {@code baseFee} and the
   * suggested {@code tip}; empty when {@code maxFeeCap} is below the smallest valid bump (the transaction must
   * then wait, or be replaced once the cap allows it).
   */
  static Optional<Fees> replacement(Fees stuck, BigInteger baseFee, BigInteger tip, Optional<BigInteger> maxFeeCap) {
    BigInteger minTip = bumped(stuck.maxPriorityFeePerGas());
    BigInteger minFee = bumped(stuck.maxFeePerGas());
    BigInteger newTip = minTip.max(tip);
    BigInteger newFee = minFee.max(baseFee.shiftLeft(1).add(newTip));
    if (maxFeeCap.isPresent()) {
      newFee = newFee.min(maxFeeCap.get());
      newTip = newTip.min(newFee);
      if (newFee.compareTo(minFee) < 0 || newTip.compareTo(minTip) < 0) {
        return Optional.empty();
      }
    }
    return Optional.of(new Fees(newFee, newTip));
  }
}
