package io.infergate.x402.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one-call recoverable sign gives exactly the bytes of sign + recover, for both recovery ids and from several
 * threads at once (each has its own native buffers), and recovers to the signer.
 */
class OneCallSignTest {
  @Test
  void oneCallAndTwoCallsGiveTheSameSignature() throws Exception {
    assumeTrue(Runtime.version().feature() >= 22, "the foreign function API is final from Java 22");
    assertTrue(Secp256k1.signsInOneCall(), "on Java 22+ the recoverable sign must be reachable");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<int[]>> done = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          int[] ids = new int[2];
          for (int i = 0; i < 200; i++) {
            PrivateKey key = PrivateKey.random();
            byte[] digest = Keccak256.hash(("digest " + thread + " " + i).getBytes());
            Signature one = Secp256k1.sign(digest, key);
            assertArrayEquals(Secp256k1.signWithTwoCalls(digest, key).toBytes(), one.toBytes());
            assertEquals(key.address(), Secp256k1.recover(digest, one));
            ids[one.recoveryId()]++;
          }
          return ids;
        }));
      }
      int[] ids = new int[2];
      for (Future<int[]> f : done) {
        int[] got = f.get();
        ids[0] += got[0];
        ids[1] += got[1];
      }
      assertTrue(ids[0] > 0 && ids[1] > 0, "both recovery ids were produced: " + ids[0] + "/" + ids[1]);
    } finally {
      pool.shutdown();
    }
  }
}
