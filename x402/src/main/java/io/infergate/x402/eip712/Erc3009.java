package io.infergate.x402.eip712;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.Keccak256;
import java.math.BigInteger;
import java.util.Objects;

/**
 * ERC-3009 {@code receiveWithAuthorization} as a channel deposit uses it: the payer signs, under the
 * <em>token's</em> EIP-712 domain (name and version from the offer's {@code extra}), a transfer to the deposit
 * collector whose nonce binds the authorization to one channel.
 */
public final class Erc3009 {
  public static final String RECEIVE_WITH_AUTHORIZATION_TYPE = "ReceiveWithAuthorization(address from,address to,"
      + "uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)";
  private static final byte[] TYPEHASH = Keccak256.hash(RECEIVE_WITH_AUTHORIZATION_TYPE);

  private Erc3009() {}

  /** The fields of one {@code ReceiveWithAuthorization}. */
  public record ReceiveWithAuthorization(Address from, Address to, BigInteger value, BigInteger validAfter,
      BigInteger validBefore, Bytes32 nonce) {
    public ReceiveWithAuthorization {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(nonce, "nonce");
      AbiWord.requireUint(value, 256, "value");
      AbiWord.requireUint(validAfter, 256, "validAfter");
      AbiWord.requireUint(validBefore, 256, "validBefore");
    }
  }

  /**
   * The ERC-3009 nonce of a channel deposit: {@code keccak256(abi.encode(bytes32 channelId, uint256 salt))}, as
   * the deposit collector and {@code @x402/evm}'s {@code buildErc3009DepositNonce} derive it. The 32-byte salt
   * read as a uint256 encodes to its own bytes, so this is the Keccak of the 64 bytes {@code channelId‖salt}.
   */
  public static Bytes32 depositNonce(Bytes32 channelId, Bytes32 salt) {
    byte[] buf = new byte[64];
    channelId.writeTo(buf, 0);
    salt.writeTo(buf, 32);
    return Bytes32.keccak(buf);
  }

  /** The digest the payer signs, under {@code tokenDomain}. */
  public static byte[] receiveWithAuthorizationDigest(Eip712Domain tokenDomain, ReceiveWithAuthorization a) {
    byte[] buf = new byte[7 * 32];
    System.arraycopy(TYPEHASH, 0, buf, 0, 32);
    a.from().writeWord(buf, 32);
    a.to().writeWord(buf, 64);
    AbiWord.writeUint(a.value(), 256, "value", buf, 96);
    AbiWord.writeUint(a.validAfter(), 256, "validAfter", buf, 128);
    AbiWord.writeUint(a.validBefore(), 256, "validBefore", buf, 160);
    a.nonce().writeTo(buf, 192);
    return tokenDomain.digest(Keccak256.hash(buf));
  }
}
