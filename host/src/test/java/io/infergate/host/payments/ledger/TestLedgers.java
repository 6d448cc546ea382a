package io.infergate.host.payments.ledger;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Opens ledgers from a one-line spec ({@code sqlite:<file>}, {@code sqlite-nofsync:<file>} or {@code postgres:<jdbc url>}), so a child JVM
 * can open the same store as its parent; plus test data.
 */
final class TestLedgers {
  static final ChannelConfig CONFIG = config("0x00000000000000000000000000000000000000aa");

  private TestLedgers() {}

  static ChannelLedger open(String spec, Clock clock) {
    if (spec.startsWith("sqlite-nofsync:")) {
      return SqliteChannelLedger.open(Path.of(spec.substring("sqlite-nofsync:".length())), clock, false);
    }
    if (spec.startsWith("sqlite:")) {
      return SqliteChannelLedger.open(Path.of(spec.substring("sqlite:".length())), clock);
    }
    if (spec.startsWith("postgres:")) {
      return PostgresChannelLedger.open(spec.substring("postgres:".length()), PostgresChannelLedger.DEFAULT_POOL_SIZE,
          clock);
    }
    throw new IllegalArgumentException("unknown ledger spec " + spec);
  }

  static ChannelConfig config(String token) {
    return new ChannelConfig("0x1111111111111111111111111111111111111111",
        "0x2222222222222222222222222222222222222222", "0x3333333333333333333333333333333333333333",
        "0x4444444444444444444444444444444444444444", token, 900, "0x" + "00".repeat(31) + "01");
  }

  /** A channel id made from a small number, for readable tests. */
  static String channelId(int n) {
    return String.format("0x%064x", n);
  }

  static String txHash(int n) {
    return String.format("0x%064x", 0xabc000 + n);
  }

  /** A fake 65-byte signature that encodes the amount it goes with, so a torn write would show. */
  static byte[] signatureFor(BigInteger amount) {
    byte[] sig = new byte[SignedVoucher.SIGNATURE_LENGTH];
    byte[] a = amount.toByteArray();
    System.arraycopy(a, 0, sig, 32 - Math.min(32, a.length), Math.min(32, a.length));
    sig[64] = 27;
    return sig;
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
