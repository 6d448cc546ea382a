package io.infergate.contracts.eip712;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;

/**
 * Struct hashes and digests of the x402 batch-settlement scheme, with the exact type strings of the canonical
 * contract, plus ERC-3009 {@code ReceiveWithAuthorization} as the deposit collector uses it.
 *
 * <pre>{@code
 * Eip712Domain domain = X402TypedData.batchSettlementDomain(31337, settlementAddress);
 * byte[] channelId = X402TypedData.channelId(domain, config);
 * byte[] voucher = X402TypedData.voucherDigest(domain, channelId, BigInteger.valueOf(1000));
 * byte[] signature = X402TypedData.sign(voucher, payerAuthorizer);   // 65 bytes, low s, v in {27, 28}
 * }</pre>
 */
public final class X402TypedData {
    public static final String DOMAIN_NAME = "x402 Batch Settlement";
    public static final String DOMAIN_VERSION = "1";

    public static final byte[] CHANNEL_CONFIG_TYPEHASH = typeHash(
            "ChannelConfig(address payer,address payerAuthorizer,address receiver,address receiverAuthorizer,"
                    + "address token,uint40 withdrawDelay,bytes32 salt)");
    public static final byte[] VOUCHER_TYPEHASH = typeHash("Voucher(bytes32 channelId,uint128 maxClaimableAmount)");
    public static final byte[] REFUND_TYPEHASH = typeHash("Refund(bytes32 channelId,uint256 nonce,uint128 amount)");
    public static final byte[] RECEIVE_WITH_AUTHORIZATION_TYPEHASH = typeHash(
            "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,"
                    + "uint256 validBefore,bytes32 nonce)");

    private X402TypedData() {}

    /** The channel contract's domain: {@code {"x402 Batch Settlement", "1", chainId, contract}}. */
    public static Eip712Domain batchSettlementDomain(long chainId, String batchSettlement) {
        return new Eip712Domain(DOMAIN_NAME, DOMAIN_VERSION, chainId, batchSettlement);
    }

    /** The immutable channel parameters, in struct order ({@code salt} is 32 bytes; the record keeps a copy). */
    public record ChannelConfig(String payer, String payerAuthorizer, String receiver, String receiverAuthorizer,
            String token, long withdrawDelay, byte[] salt) {
        public ChannelConfig {
            if (salt == null || salt.length != 32) throw new IllegalArgumentException("salt must be 32 bytes");
            if (withdrawDelay < 0) throw new IllegalArgumentException("withdrawDelay must not be negative");
            salt = salt.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }
    }

    /** The channel id: the EIP-712 digest of the config under the channel contract's domain. */
    public static byte[] channelId(Eip712Domain domain, ChannelConfig c) {
        return domain.digest(Hash.sha3(Abi.concat(CHANNEL_CONFIG_TYPEHASH,
                Abi.address(c.payer()), Abi.address(c.payerAuthorizer()), Abi.address(c.receiver()),
                Abi.address(c.receiverAuthorizer()), Abi.address(c.token()), Abi.uint(c.withdrawDelay()),
                Abi.bytes32(c.salt()))));
    }

    public static byte[] voucherDigest(Eip712Domain domain, byte[] channelId, BigInteger maxClaimableAmount) {
        return domain.digest(Hash.sha3(Abi.concat(VOUCHER_TYPEHASH, Abi.bytes32(channelId),
                Abi.uint(maxClaimableAmount))));
    }

    public static byte[] refundDigest(Eip712Domain domain, byte[] channelId, BigInteger nonce, BigInteger amount) {
        return domain.digest(Hash.sha3(Abi.concat(REFUND_TYPEHASH, Abi.bytes32(channelId), Abi.uint(nonce),
                Abi.uint(amount))));
    }

    /** ERC-3009 authorization under the token's domain; the collector's nonce is {@link #depositNonce}. */
    public static byte[] receiveWithAuthorizationDigest(Eip712Domain tokenDomain, String from, String to,
            BigInteger value, BigInteger validAfter, BigInteger validBefore, byte[] nonce) {
        return tokenDomain.digest(Hash.sha3(Abi.concat(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, Abi.address(from),
                Abi.address(to), Abi.uint(value), Abi.uint(validAfter), Abi.uint(validBefore), Abi.bytes32(nonce))));
    }

    /** {@code keccak256(abi.encode(channelId, salt))}: the ERC-3009 nonce that binds a deposit to its channel. */
    public static byte[] depositNonce(byte[] channelId, BigInteger salt) {
        return Hash.sha3(Abi.concat(Abi.bytes32(channelId), Abi.uint(salt)));
    }

    /** Signs a digest: 65 bytes {@code r ‖ s ‖ v}, low s, {@code v} in {27, 28}. */
    public static byte[] sign(byte[] digest, Credentials signer) {
        Sign.SignatureData s = Sign.signMessage(digest, signer.getEcKeyPair(), false);
        return Abi.concat(s.getR(), s.getS(), s.getV());
    }

    private static byte[] typeHash(String type) {
        return Hash.sha3(type.getBytes(StandardCharsets.UTF_8));
    }
}
