package io.infergate.client.channel;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.eip712.Erc3009;
import io.infergate.x402.wire.Deposit;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * ERC-3009 deposit authorizations, built exactly as {@code @x402/evm} 2.27.0 builds them
 * ({@code createBatchSettlementEIP3009DepositPayload}): a fresh random 32-byte salt, {@code validAfter = 0},
 * {@code validBefore = now + maxTimeoutSeconds}, {@code to} = the ERC-3009 deposit collector, the nonce
 * {@code keccak256(channelId ‖ salt)}, signed by the payer under the token's EIP-712 domain (name and version
 * from the offer, the token as verifying contract).
 *
 * <pre>{@code
 * Deposit.Erc3009Authorization a = DepositAuthorizations.erc3009(payer, tokenDomain, collector, channelId,
 *     BigInteger.valueOf(1_000_000), now + 3600);
 * }</pre>
 */
public final class DepositAuthorizations {
  private static final SecureRandom RANDOM = new SecureRandom();

  private DepositAuthorizations() {}

  /** A signed authorization moving {@code amount} from the payer into {@code channelId} through {@code collector}. */
  public static Deposit.Erc3009Authorization erc3009(PrivateKey payer, Eip712Domain tokenDomain, Address collector,
      Bytes32 channelId, BigInteger amount, long validBefore) {
    byte[] saltBytes = new byte[32];
    RANDOM.nextBytes(saltBytes);
    Bytes32 salt = Bytes32.of(saltBytes);
    BigInteger before = BigInteger.valueOf(validBefore);
    byte[] digest = Erc3009.receiveWithAuthorizationDigest(tokenDomain, new Erc3009.ReceiveWithAuthorization(
        payer.address(), collector, amount, BigInteger.ZERO, before, Erc3009.depositNonce(channelId, salt)));
    return new Deposit.Erc3009Authorization(BigInteger.ZERO, before, salt, Secp256k1.sign(digest, payer).toHex());
  }

  /**
   * The collector's {@code collectorData} for an authorization:
   * {@code abi.encode(uint256 validAfter, uint256 validBefore, uint256 salt, bytes signature)}.
   */
  public static byte[] collectorData(Deposit.Erc3009Authorization a) {
    byte[] sig = io.infergate.x402.crypto.Hex.decode(a.signature());
    int padded = (sig.length + 31) / 32 * 32;
    byte[] out = new byte[5 * 32 + 32 + padded];
    word(a.validAfter(), out, 0);
    word(a.validBefore(), out, 32);
    a.salt().writeTo(out, 64);
    word(BigInteger.valueOf(4 * 32), out, 96); // offset of the bytes tail
    word(BigInteger.valueOf(sig.length), out, 128);
    System.arraycopy(sig, 0, out, 160, sig.length);
    return java.util.Arrays.copyOf(out, 160 + padded);
  }

  private static void word(BigInteger v, byte[] out, int off) {
    byte[] raw = v.toByteArray();
    int from = raw.length > 32 ? raw.length - 32 : 0;
    int len = raw.length - from;
    System.arraycopy(raw, from, out, off + 32 - len, len);
  }
}
