package io.infergate.contracts.eip712;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.web3j.crypto.Hash;

/**
 * An EIP-712 domain {@code {name, version, chainId, verifyingContract}} and the digests signed under it.
 *
 * @param name              the domain name, e.g. {@code "x402 Batch Settlement"}
 * @param version           the domain version, e.g. {@code "1"}
 * @param chainId           EIP-155 chain id
 * @param verifyingContract 0x-prefixed contract address
 */
public record Eip712Domain(String name, String version, long chainId, String verifyingContract) {
    private static final byte[] DOMAIN_TYPEHASH = Hash.sha3(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                    .getBytes(StandardCharsets.UTF_8));

    public Eip712Domain {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Abi.address(Objects.requireNonNull(verifyingContract, "verifyingContract"));
    }

    /** {@code hashStruct(EIP712Domain)}. */
    public byte[] separator() {
        return Hash.sha3(Abi.concat(DOMAIN_TYPEHASH,
                Hash.sha3(name.getBytes(StandardCharsets.UTF_8)),
                Hash.sha3(version.getBytes(StandardCharsets.UTF_8)),
                Abi.uint(chainId),
                Abi.address(verifyingContract)));
    }

    /** {@code keccak256(0x1901 ‖ separator ‖ structHash)}: what gets signed. */
    public byte[] digest(byte[] structHash) {
        return Hash.sha3(Abi.concat(new byte[] {0x19, 0x01}, separator(), structHash));
    }
}
