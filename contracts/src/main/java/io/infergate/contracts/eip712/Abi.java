package io.infergate.contracts.eip712;

import java.math.BigInteger;
import org.web3j.utils.Numeric;

/** 32-byte ABI words for the static types the x402 structs use. */
final class Abi {
    private Abi() {}

    static byte[] uint(long value) {
        return uint(BigInteger.valueOf(value));
    }

    static byte[] uint(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("not a uint256: " + value);
        }
        return Numeric.toBytesPadded(value, 32);
    }

    static byte[] address(String address) {
        byte[] raw = Numeric.hexStringToByteArray(address);
        if (raw.length != 20) throw new IllegalArgumentException("not a 20-byte address: " + address);
        byte[] word = new byte[32];
        System.arraycopy(raw, 0, word, 12, 20);
        return word;
    }

    static byte[] bytes32(byte[] value) {
        if (value.length != 32) throw new IllegalArgumentException("not 32 bytes: " + value.length);
        return value.clone();
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) length += p.length;
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
