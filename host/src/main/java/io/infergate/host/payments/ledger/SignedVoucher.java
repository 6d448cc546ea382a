package io.infergate.host.payments.ledger;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;

/** The latest accepted voucher of a channel: its cumulative maximum and the payer's 65-byte signature. */
public record SignedVoucher(BigInteger maxClaimableAmount, byte[] signature) {
  public static final int SIGNATURE_LENGTH = 65;

  public SignedVoucher {
    LedgerValues.uint128("maxClaimableAmount", maxClaimableAmount);
    if (signature == null || signature.length != SIGNATURE_LENGTH) {
      throw new IllegalArgumentException("a voucher signature has 65 bytes (r, s, v), got "
          + (signature == null ? "none" : signature.length + " bytes"));
    }
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedVoucher v
        && maxClaimableAmount.equals(v.maxClaimableAmount)
        && Arrays.equals(signature, v.signature);
  }

  @Override
  public int hashCode() {
    return maxClaimableAmount.hashCode() * 31 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "SignedVoucher[" + maxClaimableAmount + ", 0x" + HexFormat.of().formatHex(signature) + "]";
  }
}
