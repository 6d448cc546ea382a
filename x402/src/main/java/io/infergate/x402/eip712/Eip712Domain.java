package io.infergate.x402.eip712;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.Keccak256;
import java.nio.charset.StandardCharsets;

/**
 * An EIP-712 domain with the four fields every Infergate signature uses ({@code name}, {@code version},
 * {@code chainId}, {@code verifyingContract}: replay across chains and contracts is impossible by construction).
 * The separator is computed once, so a digest costs one Keccak of 66 bytes on top of the struct hash.
 */
public final class Eip712Domain {
  /** The channel contract's EIP-712 name. */
  public static final String BATCH_SETTLEMENT_NAME = "x402 Batch Settlement";
  /** The channel contract's EIP-712 version. */
  public static final String BATCH_SETTLEMENT_VERSION = "1";

  static final byte[] TYPEHASH =
      Keccak256.hash("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
  static final byte[] TYPEHASH_WITHOUT_CONTRACT =
      Keccak256.hash("EIP712Domain(string name,string version,uint256 chainId)");

  private final String name;
  private final String version;
  private final long chainId;
  private final Address verifyingContract;
  private final byte[] separator;

  private Eip712Domain(String name, String version, long chainId, Address verifyingContract) {
    if (chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive, got " + chainId);
    }
    this.name = name;
    this.version = version;
    this.chainId = chainId;
    this.verifyingContract = verifyingContract;
    byte[] buf = new byte[(verifyingContract == null ? 4 : 5) * 32];
    System.arraycopy(verifyingContract == null ? TYPEHASH_WITHOUT_CONTRACT : TYPEHASH, 0, buf, 0, 32);
    Keccak256.hash(utf8(name), 0, utf8(name).length, buf, 32);
    Keccak256.hash(utf8(version), 0, utf8(version).length, buf, 64);
    AbiWord.writeUint(chainId, 256, "chainId", buf, 96);
    if (verifyingContract != null) {
      verifyingContract.writeWord(buf, 128);
    }
    this.separator = Keccak256.hash(buf);
  }

  /** A domain with all four fields. */
  public static Eip712Domain create(String name, String version, long chainId, Address verifyingContract) {
    return new Eip712Domain(name, version, chainId, java.util.Objects.requireNonNull(verifyingContract,
        "verifyingContract"));
  }

  /**
   * A domain of {@code name}, {@code version} and {@code chainId} only, as the x402 {@code offer-receipt}
   * extension uses (its signatures are not bound to a contract).
   */
  public static Eip712Domain withoutContract(String name, String version, long chainId) {
    return new Eip712Domain(name, version, chainId, null);
  }

  /** The {@code x402BatchSettlement} contract's domain on {@code chainId} at {@code contract}. */
  public static Eip712Domain batchSettlement(long chainId, Address contract) {
    return new Eip712Domain(BATCH_SETTLEMENT_NAME, BATCH_SETTLEMENT_VERSION, chainId, contract);
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public long chainId() {
    return chainId;
  }

  /** The verifying contract; null for a domain made by {@link #withoutContract}. */
  public Address verifyingContract() {
    return verifyingContract;
  }

  /** {@code hashStruct(EIP712Domain)}. */
  public Bytes32 separator() {
    return Bytes32.of(separator);
  }

  /** {@code keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash)}: the digest that is signed. */
  public byte[] digest(byte[] structHash) {
    if (structHash.length != 32) {
      throw new IllegalArgumentException("a struct hash is 32 bytes, got " + structHash.length);
    }
    byte[] buf = new byte[66];
    buf[0] = 0x19;
    buf[1] = 0x01;
    System.arraycopy(separator, 0, buf, 2, 32);
    System.arraycopy(structHash, 0, buf, 34, 32);
    Keccak256.hash(buf, 0, 66, buf, 0);
    return java.util.Arrays.copyOf(buf, 32);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Eip712Domain[" + name + " v" + version + ", chainId " + chainId
        + (verifyingContract == null ? "" : ", " + verifyingContract) + "]";
  }
}
