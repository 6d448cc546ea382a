package io.infergate.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.bench.payments.BenchChannels;
import io.infergate.bench.payments.BenchChannels.Channel;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.Secp256k1;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** One native recoverable sign gives Secp256k1.sign's bytes (its sign + recover), recovery id included. */
class RecoverableSignerTest {
  @Test
  void sameSignatureAsSecp256k1Sign() {
    assertTrue(RecoverableSigner.available(), "the bench runs on Java 22+: the recoverable sign must be reachable");
    int v27 = 0;
    for (int index = 0; index < 3; index++) {
      Channel channel = BenchChannels.channel(index);
      RecoverableSigner signer = RecoverableSigner.forKey(channel.consumer());
      assertNotNull(signer);
      for (int i = 0; i < 200; i++) {
        byte[] digest = Bytes32.keccak(ByteBuffer.allocate(8).putInt(index).putInt(i).array()).toBytes();
        byte[] fast = signer.sign(digest);
        assertArrayEquals(Secp256k1.sign(digest, channel.consumer()).toBytes(), fast, "channel " + index + ", " + i);
        v27 += fast[64] == 27 ? 1 : 0;
      }
      BigInteger amount = BigInteger.valueOf(8_915_000L + index);
      assertArrayEquals(channel.signature(amount), PaidLoad.signVoucher(channel, signer, amount));
    }
    assertTrue(v27 > 200 && v27 < 400, "both recovery ids occur: " + v27 + " of 600 are 27");
  }
}
