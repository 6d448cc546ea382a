package io.infergate.x402;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.crypto.Signature;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.Eip712Domain;
import java.math.BigInteger;

/**
 * Rough per-operation cost of the payment hot path (not a JMH benchmark; no assertions): run with
 * {@code java -cp <test classpath> io.infergate.host.payments.PaymentsCryptoBenchmark}.
 */
public final class PaymentsCryptoBenchmark {
  private PaymentsCryptoBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    PrivateKey key = PrivateKey.random();
    Eip712Domain domain = Eip712Domain.batchSettlement(8453, Address.parse("0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003"));
    ChannelConfig config = new ChannelConfig(key.address(), key.address(), key.address(), key.address(), key.address(), 900, Bytes32.ZERO);
    Bytes32 id = BatchSettlementTypedData.channelId(domain, config);
    for (int round = 0; round < 3; round++) { // the first rounds are warm-up
      long sink = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += BatchSettlementTypedData.voucherDigest(domain, id, BigInteger.valueOf(i))[0];
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += BatchSettlementTypedData.channelId(domain, config).hashCode();
      }
      long t2 = System.nanoTime();
      byte[] digest = BatchSettlementTypedData.voucherDigest(domain, id, BigInteger.TEN);
      Signature sig = null;
      for (int i = 0; i < n; i++) {
        digest[0] = (byte) i;
        sig = Secp256k1.sign(digest, key);
      }
      long t3 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += Secp256k1.recover(digest, sig).hashCode();
      }
      long t4 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += Signature.parse(sig.toHex()).v();
      }
      long t5 = System.nanoTime();
      System.out.printf("round %d: voucherDigest %.2f us, channelId %.2f us, sign %.1f us, recover %.1f us, "
          + "parse signature %.2f us (sink %d)%n", round, us(t1 - t0, n), us(t2 - t1, n), us(t3 - t2, n),
          us(t4 - t3, n), us(t5 - t4, n), sink & 1);
    }
  }

  private static double us(long nanos, int n) {
    return nanos / 1000.0 / n;
  }
}
