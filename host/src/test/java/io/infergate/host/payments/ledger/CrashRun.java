package io.infergate.host.payments.ledger;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link LedgerCrashChild} in a child JVM on the test classpath, lets it commit a number of
 * charges, then {@code kill -9}s it ({@link Process#destroyForcibly()}) while it keeps committing.
 *
 * @param lastVersion the last version the child reported as committed (including lines still in the pipe)
 */
record CrashRun(long lastVersion, long childFencingToken, int reported) {

  static CrashRun start(String spec, String channelId, String owner, long leaseSeconds, int killAfter)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path stderr = Files.createTempFile("ledger-crash-child", ".log");
    Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        LedgerCrashChild.class.getName(), spec, channelId, owner, Long.toString(leaseSeconds)))
        .redirectError(stderr.toFile())
        .start();
    long token = -1;
    long last = -1;
    int reported = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        String[] f = line.split(" ");
        if (f[0].equals("leased")) {
          token = Long.parseLong(f[1]);
        } else if (f[0].equals("committed")) {
          last = Long.parseLong(f[1]);
          if (++reported == killAfter) {
            // SIGKILL mid-stream (the child is in its next transaction). Through the ProcessHandle, because
            // Process.destroyForcibly() would also close our end of the pipe and lose reported lines.
            p.toHandle().destroyForcibly();
          }
        }
      }
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertTrue(reported >= killAfter, "the child died by itself after " + reported + " charges (exit "
        + p.exitValue() + "):\n" + Files.readString(stderr));
    Files.deleteIfExists(stderr);
    return new CrashRun(last, token, reported);
  }
}
