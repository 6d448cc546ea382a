package io.infergate.client.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.client.ClientException;
import io.infergate.client.channel.ChannelRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelStoreTest {
  @TempDir Path dir;

  @Test
  void aVoucherRecordedBeforeAKillSurvivesAndTheNextOneIsHigher() throws Exception {
    Path db = dir.resolve("client.db");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), StoreCrashChild.class.getName(), db.toString()))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    BigInteger lastSeen = BigInteger.ZERO;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (int seen = 0; seen < 25; seen++) {
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("signed "), "child output: " + line);
        lastSeen = new BigInteger(line.substring(7));
      }
      child.destroyForcibly(); // kill -9 in the middle of its loop
      child.waitFor();
    }

    try (ChannelStore store = ChannelStore.open(db)) {
      ChannelRecord ch = store.find(StoreCrashChild.CHANNEL).orElseThrow();
      assertTrue(ch.signedMax().compareTo(lastSeen) >= 0,
          "every voucher reported as signed is in the store: stored " + ch.signedMax() + ", last reported " + lastSeen);
      assertEquals("0xsig" + ch.signedMax().divide(BigInteger.TEN), ch.signature(), "max and signature match");
      BigInteger stored = ch.signedMax();
      assertThrows(ClientException.class, () -> store.recordSigned(ch.channelId(), stored.subtract(BigInteger.ONE), "0xlow"),
          "the store refuses to go below what was already signed");
      BigInteger next = stored.add(BigInteger.TEN);
      assertEquals(next, store.recordSigned(ch.channelId(), next, "0xnext").signedMax(), "the next voucher is higher");
    }
  }

  @Test
  void quarantineAndAcknowledgementsAreDurable() {
    Path db = dir.resolve("q.db");
    try (ChannelStore store = ChannelStore.open(db)) {
      store.create(StoreCrashChild.CHANNEL, StoreCrashChild.config(), 31337, StoreCrashChild.A, 0);
      store.recordChain(StoreCrashChild.CHANNEL, BigInteger.valueOf(500), BigInteger.ZERO, 0);
      store.quarantine(StoreCrashChild.CHANNEL, "CUMULATIVE_MISMATCH: test");
    }
    try (ChannelStore store = ChannelStore.open(db)) {
      ChannelRecord ch = store.find(StoreCrashChild.CHANNEL).orElseThrow();
      assertEquals(BigInteger.valueOf(500), ch.balance());
      assertEquals("CUMULATIVE_MISMATCH: test", ch.quarantineReason());
      assertEquals(StoreCrashChild.config(), ch.config());
    }
  }
}
