package io.infergate.host.ipfs.cid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class VarintTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void encodesTheMultiformatsVectors() {
    long[] values = {0, 1, 127, 128, 255, 300, 16384, 0x70, 0x55, 0x12};
    String[] hex = {"00", "01", "7f", "8001", "ff01", "ac02", "808001", "70", "55", "12"};
    for (int i = 0; i < values.length; i++) {
      assertEquals(hex[i], HEX.formatHex(Varint.encode(values[i])), "encode " + values[i]);
      byte[] b = HEX.parseHex(hex[i]);
      long d = Varint.decode(b, 0, b.length);
      assertEquals(values[i], Varint.value(d));
      assertEquals(b.length, Varint.length(d));
      assertEquals(b.length, Varint.size(values[i]));
    }
  }

  @Test
  void roundTripsLargeValues() throws Exception {
    for (long v : new long[] {1L << 20, (1L << 35) + 7, (1L << 56) - 1}) {
      byte[] b = Varint.encode(v);
      assertEquals(v, Varint.value(Varint.decode(b, 0, b.length)));
      assertEquals(v, Varint.read(new ByteArrayInputStream(b)));
    }
  }

  @Test
  void rejectsNonMinimalTruncatedAndOverlongEncodings() {
    byte[] nonMinimal = HEX.parseHex("8000");
    assertTrue(assertThrows(InvalidCidException.class, () -> Varint.decode(nonMinimal, 0, 2))
        .getMessage().contains("not minimally encoded"));
    byte[] truncated = HEX.parseHex("8080");
    assertTrue(assertThrows(InvalidCidException.class, () -> Varint.decode(truncated, 0, 2))
        .getMessage().contains("truncated"));
    byte[] overlong = HEX.parseHex("ffffffffffffffffff01");
    assertThrows(InvalidCidException.class, () -> Varint.decode(overlong, 0, overlong.length));
    assertThrows(IllegalArgumentException.class, () -> Varint.encode(-1));
  }

  @Test
  void streamReadTellsCleanEndFromTruncation() throws Exception {
    assertEquals(-1, Varint.read(new ByteArrayInputStream(new byte[0])));
    assertThrows(EOFException.class, () -> Varint.read(new ByteArrayInputStream(HEX.parseHex("80"))));
    assertArrayEquals(HEX.parseHex("ac02"), Varint.encode(300));
  }
}
