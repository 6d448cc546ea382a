package io.infergate.x402.wire;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The latest voucher the server holds, sent with a corrective 402 so the client can check its own signature
 * before adopting the server's {@code chargedCumulativeAmount}.
 *
 * @param signedMaxClaimable the voucher's ceiling
 * @param signature its signature, {@code 0x} hex as the client sent it
 */
public record VoucherState(BigInteger signedMaxClaimable, String signature) {
  public VoucherState {
    Objects.requireNonNull(signedMaxClaimable, "signedMaxClaimable");
    Objects.requireNonNull(signature, "signature");
  }
}
