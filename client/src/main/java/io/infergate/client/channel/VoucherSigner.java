package io.infergate.client.channel;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.InvalidSignatureException;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.crypto.Signature;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.Eip712Domain;
import java.math.BigInteger;

/**
 * Signs cumulative vouchers ({@code Voucher(channelId, maxClaimableAmount)}) with the payer authorizer's key,
 * and checks that a voucher a node shows us was really signed by that key.
 *
 * <pre>{@code
 * VoucherSigner signer = VoucherSigner.create(key, Eip712Domain.batchSettlement(31337, contract));
 * String sig = signer.sign(channelId, BigInteger.valueOf(20));
 * assert signer.signedByUs(channelId, BigInteger.valueOf(20), sig);
 * }</pre>
 */
public final class VoucherSigner {
  private final PrivateKey key;
  private final Eip712Domain domain;

  private VoucherSigner(PrivateKey key, Eip712Domain domain) {
    this.key = key;
    this.domain = domain;
  }

  /** A signer for vouchers under the channel contract's {@code domain}. */
  public static VoucherSigner create(PrivateKey key, Eip712Domain domain) {
    return new VoucherSigner(key, domain);
  }

  /** The address vouchers are signed by (the channel's {@code payerAuthorizer}). */
  public Address address() {
    return key.address();
  }

  public Eip712Domain domain() {
    return domain;
  }

  /** The {@code 0x} hex signature of {@code Voucher(channelId, max)}. */
  public String sign(Bytes32 channelId, BigInteger max) {
    return Secp256k1.sign(BatchSettlementTypedData.voucherDigest(domain, channelId, max), key).toHex();
  }

  /** True when {@code signature} is a valid signature by this key over {@code Voucher(channelId, max)}. */
  public boolean signedByUs(Bytes32 channelId, BigInteger max, String signature) {
    try {
      return Secp256k1.verify(BatchSettlementTypedData.voucherDigest(domain, channelId, max), Signature.parse(signature),
          key.address());
    } catch (InvalidSignatureException | IllegalArgumentException e) {
      return false;
    }
  }
}
