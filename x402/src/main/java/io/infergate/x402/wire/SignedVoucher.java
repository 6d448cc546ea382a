package io.infergate.x402.wire;

import io.infergate.x402.crypto.Bytes32;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A cumulative voucher as it travels: the channel, the ceiling the receiver may claim, and the payer
 * authorizer's EIP-712 signature (kept as sent; {@code VoucherVerifier} parses it strictly, so a malformed
 * signature is reported as {@code invalid_batch_settlement_evm_voucher_signature}, not as a format error).
 */
public record SignedVoucher(Bytes32 channelId, BigInteger maxClaimableAmount, String signature) {
  public SignedVoucher {
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(maxClaimableAmount, "maxClaimableAmount");
    Objects.requireNonNull(signature, "signature");
  }
}
