package io.infergate.x402.eip712;

import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.Keccak256;
import java.math.BigInteger;
import java.util.List;

/**
 * EIP-712 struct hashes and digests of the {@code x402BatchSettlement} contract's types, written out by hand
 * for these fixed layouts. Every word is 32 bytes; static types encode in place, the {@code ClaimEntry[]}
 * array as the Keccak of its members' struct hashes (EIP-712 {@code encodeData} for arrays).
 *
 * <p>The channel id is the full EIP-712 <em>digest</em> of the {@code ChannelConfig} (domain included), not its
 * struct hash: that is what {@code @x402/evm}'s {@code computeChannelId} ({@code hashTypedData}) and the
 * contract's {@code getChannelId} return, so the id is bound to chain and contract.
 */
public final class BatchSettlementTypedData {
  public static final String CHANNEL_CONFIG_TYPE = "ChannelConfig(address payer,address payerAuthorizer,"
      + "address receiver,address receiverAuthorizer,address token,uint40 withdrawDelay,bytes32 salt)";
  public static final String VOUCHER_TYPE = "Voucher(bytes32 channelId,uint128 maxClaimableAmount)";
  public static final String REFUND_TYPE = "Refund(bytes32 channelId,uint256 nonce,uint128 amount)";
  public static final String CLAIM_ENTRY_TYPE =
      "ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)";
  /** Referenced struct types follow the primary type in the type string (EIP-712 {@code encodeType}). */
  public static final String CLAIM_BATCH_TYPE = "ClaimBatch(ClaimEntry[] claims)" + CLAIM_ENTRY_TYPE;

  private static final byte[] CHANNEL_CONFIG_TYPEHASH = Keccak256.hash(CHANNEL_CONFIG_TYPE);
  private static final byte[] VOUCHER_TYPEHASH = Keccak256.hash(VOUCHER_TYPE);
  private static final byte[] REFUND_TYPEHASH = Keccak256.hash(REFUND_TYPE);
  private static final byte[] CLAIM_ENTRY_TYPEHASH = Keccak256.hash(CLAIM_ENTRY_TYPE);
  private static final byte[] CLAIM_BATCH_TYPEHASH = Keccak256.hash(CLAIM_BATCH_TYPE);

  private BatchSettlementTypedData() {}

  /** {@code keccak256(CHANNEL_CONFIG_TYPE)}, the contract's {@code CHANNEL_CONFIG_TYPEHASH()}. */
  public static Bytes32 channelConfigTypeHash() {
    return Bytes32.of(CHANNEL_CONFIG_TYPEHASH);
  }

  /** {@code hashStruct(ChannelConfig)}. */
  public static byte[] channelConfigStructHash(ChannelConfig c) {
    byte[] buf = new byte[8 * 32];
    System.arraycopy(CHANNEL_CONFIG_TYPEHASH, 0, buf, 0, 32);
    c.payer().writeWord(buf, 32);
    c.payerAuthorizer().writeWord(buf, 64);
    c.receiver().writeWord(buf, 96);
    c.receiverAuthorizer().writeWord(buf, 128);
    c.token().writeWord(buf, 160);
    AbiWord.writeUint(c.withdrawDelay(), 40, "withdrawDelay", buf, 192);
    c.salt().writeTo(buf, 224);
    return Keccak256.hash(buf);
  }

  /** The channel id: the EIP-712 digest of {@code config} under the channel contract's {@code domain}. */
  public static Bytes32 channelId(Eip712Domain domain, ChannelConfig config) {
    return Bytes32.of(domain.digest(channelConfigStructHash(config)));
  }

  /** The digest a payer authorizer signs for {@code Voucher(channelId, maxClaimableAmount)}. */
  public static byte[] voucherDigest(Eip712Domain domain, Bytes32 channelId, BigInteger maxClaimableAmount) {
    byte[] buf = new byte[3 * 32];
    System.arraycopy(VOUCHER_TYPEHASH, 0, buf, 0, 32);
    channelId.writeTo(buf, 32);
    AbiWord.writeUint(maxClaimableAmount, 128, "maxClaimableAmount", buf, 64);
    return domain.digest(Keccak256.hash(buf));
  }

  /** The digest the receiver authorizer signs for {@code Refund(channelId, nonce, amount)}. */
  public static byte[] refundDigest(Eip712Domain domain, Bytes32 channelId, BigInteger nonce, BigInteger amount) {
    byte[] buf = new byte[4 * 32];
    System.arraycopy(REFUND_TYPEHASH, 0, buf, 0, 32);
    channelId.writeTo(buf, 32);
    AbiWord.writeUint(nonce, 256, "nonce", buf, 64);
    AbiWord.writeUint(amount, 128, "amount", buf, 96);
    return domain.digest(Keccak256.hash(buf));
  }

  /** {@code hashStruct(ClaimEntry)}. */
  public static byte[] claimEntryStructHash(ClaimEntry e) {
    byte[] buf = new byte[4 * 32];
    System.arraycopy(CLAIM_ENTRY_TYPEHASH, 0, buf, 0, 32);
    e.channelId().writeTo(buf, 32);
    AbiWord.writeUint(e.maxClaimableAmount(), 128, "maxClaimableAmount", buf, 64);
    AbiWord.writeUint(e.totalClaimed(), 128, "totalClaimed", buf, 96);
    return Keccak256.hash(buf);
  }

  /** The digest the receiver authorizer signs for {@code ClaimBatch(claims)} ({@code claimWithSignature}). */
  public static byte[] claimBatchDigest(Eip712Domain domain, List<ClaimEntry> claims) {
    byte[] members = new byte[claims.size() * 32];
    for (int i = 0; i < claims.size(); i++) {
      System.arraycopy(claimEntryStructHash(claims.get(i)), 0, members, 32 * i, 32);
    }
    byte[] buf = new byte[2 * 32];
    System.arraycopy(CLAIM_BATCH_TYPEHASH, 0, buf, 0, 32);
    Keccak256.hash(members, 0, members.length, buf, 32);
    return domain.digest(Keccak256.hash(buf));
  }
}
