package io.infergate.x402.receipt;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.Keccak256;
import io.infergate.x402.eip712.AbiWord;
import io.infergate.x402.eip712.Eip712Domain;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What a node attests for one paid call, as the EIP-712 struct {@link #TYPE}. Field by field:
 *
 * @param requestHash {@link RequestHash} of the request as received
 * @param responseHash keccak256 of the exact response body bytes sent
 * @param provider the account that registered the service in the {@code ServiceRegistry}
 * @param service the service (OIP model) name
 * @param pluginCid the CID of the plugin zip that served the call
 * @param modelCid {@link #modelSetHash} over the service's model CIDs, in the descriptor's order
 * @param runtimeProfileHash keccak256 of the canonical runtime profile JSON (ORT version, execution provider,
 *     threads, optimisation level, CPU instruction-set class)
 * @param channelId the x402 batch-settlement channel that paid
 * @param maxClaimableAmount the cumulative voucher the call was paid with
 * @param chargedAmount what this call cost
 * @param chargedCumulativeAmount the channel's charged total after this call
 * @param seq the signer's receipt number: 0, 1, 2, ... without gaps
 * @param issuedAt unix seconds when the node signed
 */
public record InferenceReceipt(Bytes32 requestHash, Bytes32 responseHash, Address provider, String service,
    String pluginCid, Bytes32 modelCid, Bytes32 runtimeProfileHash, Bytes32 channelId,
    BigInteger maxClaimableAmount, BigInteger chargedAmount, BigInteger chargedCumulativeAmount, long seq,
    long issuedAt) {

  /** The EIP-712 {@code encodeType} of the receipt. */
  public static final String TYPE = "InferenceReceipt(bytes32 requestHash,bytes32 responseHash,address provider,"
      + "string service,string pluginCid,bytes32 modelCid,bytes32 runtimeProfileHash,bytes32 channelId,"
      + "uint128 maxClaimableAmount,uint128 chargedAmount,uint128 chargedCumulativeAmount,uint64 seq,"
      + "uint64 issuedAt)";
  /** The primary type's name. */
  public static final String PRIMARY_TYPE = "InferenceReceipt";
  /** The EIP-712 domain name; the domain's verifying contract is the {@code ReceiptAnchor}. */
  public static final String DOMAIN_NAME = "Infergate Inference Receipt";
  /** The EIP-712 domain version. */
  public static final String DOMAIN_VERSION = "1";

  private static final byte[] TYPEHASH = Keccak256.hash(TYPE);

  /** The fields in type order, as EIP-712 {@code types} lists them: name and Solidity type. */
  public static final List<String[]> FIELDS = List.of(
      new String[] {"requestHash", "bytes32"}, new String[] {"responseHash", "bytes32"},
      new String[] {"provider", "address"}, new String[] {"service", "string"},
      new String[] {"pluginCid", "string"}, new String[] {"modelCid", "bytes32"},
      new String[] {"runtimeProfileHash", "bytes32"}, new String[] {"channelId", "bytes32"},
      new String[] {"maxClaimableAmount", "uint128"}, new String[] {"chargedAmount", "uint128"},
      new String[] {"chargedCumulativeAmount", "uint128"}, new String[] {"seq", "uint64"},
      new String[] {"issuedAt", "uint64"});

  public InferenceReceipt {
    Objects.requireNonNull(requestHash, "requestHash");
    Objects.requireNonNull(responseHash, "responseHash");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(pluginCid, "pluginCid");
    Objects.requireNonNull(modelCid, "modelCid");
    Objects.requireNonNull(runtimeProfileHash, "runtimeProfileHash");
    Objects.requireNonNull(channelId, "channelId");
    AbiWord.requireUint(maxClaimableAmount, 128, "maxClaimableAmount");
    AbiWord.requireUint(chargedAmount, 128, "chargedAmount");
    AbiWord.requireUint(chargedCumulativeAmount, 128, "chargedCumulativeAmount");
    if (seq < 0) {
      throw new IllegalArgumentException("seq must fit uint64 and be >= 0, got " + seq);
    }
    if (issuedAt < 0) {
      throw new IllegalArgumentException("issuedAt must be unix seconds >= 0, got " + issuedAt);
    }
  }

  /** The receipt domain on {@code chainId} whose verifying contract is the {@code ReceiptAnchor} at {@code anchor}. */
  public static Eip712Domain domain(long chainId, Address anchor) {
    return Eip712Domain.create(DOMAIN_NAME, DOMAIN_VERSION, chainId, anchor);
  }

  /** {@code keccak256(TYPE)}. */
  public static Bytes32 typeHash() {
    return Bytes32.of(TYPEHASH);
  }

  /** {@code hashStruct(InferenceReceipt)}: 14 words, strings hashed in place. */
  public byte[] structHash() {
    byte[] buf = new byte[14 * 32];
    System.arraycopy(TYPEHASH, 0, buf, 0, 32);
    requestHash.writeTo(buf, 32);
    responseHash.writeTo(buf, 64);
    provider.writeWord(buf, 96);
    byte[] s = service.getBytes(StandardCharsets.UTF_8);
    Keccak256.hash(s, 0, s.length, buf, 128);
    byte[] p = pluginCid.getBytes(StandardCharsets.UTF_8);
    Keccak256.hash(p, 0, p.length, buf, 160);
    modelCid.writeTo(buf, 192);
    runtimeProfileHash.writeTo(buf, 224);
    channelId.writeTo(buf, 256);
    AbiWord.writeUint(maxClaimableAmount, 128, "maxClaimableAmount", buf, 288);
    AbiWord.writeUint(chargedAmount, 128, "chargedAmount", buf, 320);
    AbiWord.writeUint(chargedCumulativeAmount, 128, "chargedCumulativeAmount", buf, 352);
    AbiWord.writeUint(seq, 64, "seq", buf, 384);
    AbiWord.writeUint(issuedAt, 64, "issuedAt", buf, 416);
    return Keccak256.hash(buf);
  }

  /** The EIP-712 digest under {@code domain}: what the receipt key signs and what a Merkle leaf commits to. */
  public Bytes32 digest(Eip712Domain domain) {
    return Bytes32.of(domain.digest(structHash()));
  }

  /**
   * The {@code modelCid} field for a service with models {@code cids}: the EIP-712 encoding of a
   * {@code string[]}, i.e. {@code keccak256(keccak256(cid_0) ‖ keccak256(cid_1) ‖ …)}, in the descriptor's order.
   * A service without models gets {@code keccak256("")}.
   */
  public static Bytes32 modelSetHash(List<String> cids) {
    byte[] buf = new byte[cids.size() * 32];
    for (int i = 0; i < cids.size(); i++) {
      byte[] c = cids.get(i).getBytes(StandardCharsets.UTF_8);
      Keccak256.hash(c, 0, c.length, buf, i * 32);
    }
    return Bytes32.of(Keccak256.hash(buf));
  }
}
