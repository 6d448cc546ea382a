package io.infergate.client.store;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.eip712.ChannelConfig;
import java.math.BigInteger;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link ChannelStoreTest}: signs ever higher vouchers and prints each one only after the
 * store returned, until it is killed.
 */
public final class StoreCrashChild {
  static final Bytes32 CHANNEL = Bytes32.keccak(new byte[] {7});
  static final Address A = Address.parse("0x1111111111111111111111111111111111111111");

  static ChannelConfig config() {
    return new ChannelConfig(A, A, A, A, A, 900, Bytes32.ZERO);
  }

  public static void main(String[] args) {
    ChannelStore store = ChannelStore.open(Path.of(args[0]));
    store.create(CHANNEL, config(), 31337, A, 0);
    for (long i = 1; ; i++) {
      BigInteger max = BigInteger.valueOf(i * 10);
      store.recordSigned(CHANNEL, max, "0xsig" + i);
      System.out.println("signed " + max); // only after the store made it durable
      System.out.flush();
    }
  }
}
