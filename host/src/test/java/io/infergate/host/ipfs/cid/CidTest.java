package io.infergate.host.ipfs.cid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.host.ipfs.NpmIpfsTools;
import io.infergate.host.ipfs.TestFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidTest {
  /** sha2-256 of the empty string as a raw CIDv1: what every IPFS implementation prints for an empty file. */
  static final String EMPTY_RAW = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
  /** The well-known empty UnixFS directory, v0 and v1. */
  static final String EMPTY_DIR_V0 = "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn";
  static final String EMPTY_DIR_V1 = "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354";

  @Test
  void computesTheWellKnownEmptyBlockCid() {
    Cid cid = Cid.compute(Codec.RAW, new byte[0]);
    assertEquals(EMPTY_RAW, cid.toString());
    assertEquals(1, cid.version());
    assertEquals(Codec.RAW, cid.codec());
    assertEquals(Multihash.SHA2_256, cid.multihash().code());
    assertTrue(cid.verify(new byte[0]));
    assertFalse(cid.verify(new byte[] {0}));
    assertEquals(cid, Cid.parse(EMPTY_RAW));
    assertEquals(cid, Cid.decode(cid.bytes()));
  }

  @Test
  void convertsV0ToV1AndBack() {
    Cid v0 = Cid.parse(EMPTY_DIR_V0);
    assertEquals(0, v0.version());
    assertEquals(Codec.DAG_PB, v0.codec());
    assertEquals(EMPTY_DIR_V0, v0.toString());
    assertEquals(34, v0.byteLength());
    Cid v1 = v0.toV1();
    assertEquals(EMPTY_DIR_V1, v1.toString());
    assertNotEquals(v0, v1);
    assertEquals(v0.multihash(), v1.multihash());
    assertEquals(v1, Cid.parse(v1.toBase58btc()));
    assertEquals(v1, Cid.parse(v1.toString()));
  }

  @Test
  void printsExactlyWhatMultiformatsPrints() {
    List<String> inputs = new ArrayList<>(List.of(EMPTY_RAW, EMPTY_DIR_V0, EMPTY_DIR_V1));
    for (int i = 0; i < 20; i++) {
      byte[] block = TestFiles.randomBytes(i * 7, i);
      inputs.add(Cid.compute(i % 2 == 0 ? Codec.RAW : Codec.DAG_PB, block).toString());
      inputs.add(Cid.v0(Multihash.sha256(block)).toString());
    }
    JsonNode js = NpmIpfsTools.locate().cids(inputs);
    for (int i = 0; i < inputs.size(); i++) {
      Cid cid = Cid.parse(inputs.get(i));
      JsonNode expected = js.get(i);
      assertEquals(expected.get("text").asText(), cid.toString());
      assertEquals(expected.get("version").asInt(), cid.version());
      assertEquals(expected.get("codec").asInt(), cid.codec().code());
      assertEquals(expected.get("v1").asText(), cid.toV1().toString());
      assertEquals(expected.get("v1base58").asText(), cid.toV1().toBase58btc());
      assertEquals(cid.toV1(), Cid.parse(expected.get("v1base58").asText()));
      if (!expected.get("v0").isNull()) {
        assertEquals(expected.get("v0").asText(), Cid.v0(cid.multihash()).toString());
      }
    }
  }

  @Test
  void rejectsUnsupportedHashFunctionsByName() {
    // CIDv1 raw with sha3-256 (0x16) and a 32-byte digest.
    byte[] sha3 = HexFormat.of().parseHex("01551620" + "00".repeat(32));
    InvalidCidException e = assertThrows(InvalidCidException.class,
        () -> Cid.parse("b" + Multibase.encodeBase32(sha3)));
    assertTrue(e.getMessage().contains("0x16 (sha3-256)"), e.getMessage());
    assertTrue(e.getMessage().contains("sha2-256"), e.getMessage());
    byte[] identity = HexFormat.of().parseHex("0155000568656c6c6f");
    assertTrue(assertThrows(InvalidCidException.class, () -> Cid.decode(identity)).getMessage().contains("identity"));
    byte[] blake2b = HexFormat.of().parseHex("0155a0e40220" + "00".repeat(32));
    assertTrue(assertThrows(InvalidCidException.class, () -> Cid.decode(blake2b)).getMessage().contains("blake2b-256"));
  }

  @Test
  void rejectsUnsupportedCodecsByName() {
    InvalidCidException e = assertThrows(InvalidCidException.class,
        () -> Cid.parse("bafyreidykglsfhoixmivffc5uwhcgshx4j465xwqntbmu43nb2dzqwfvae"));
    assertTrue(e.getMessage().contains("0x71 (dag-cbor)"), e.getMessage());
    assertTrue(e.getMessage().contains("raw (0x55) and dag-pb (0x70)"), e.getMessage());
  }

  @Test
  void rejectsMalformedText() {
    assertThrows(InvalidCidException.class, () -> Cid.parse(""));
    assertThrows(InvalidCidException.class, () -> Cid.parse("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3N0"));
    assertTrue(assertThrows(InvalidCidException.class, () -> Cid.parse("mAVUSIA"))
        .getMessage().contains("unsupported multibase prefix 'm'"));
    assertTrue(assertThrows(InvalidCidException.class, () -> Cid.parse(EMPTY_RAW.toUpperCase()))
        .getMessage().contains("lower-case"));
    assertThrows(InvalidCidException.class, () -> Cid.parse(EMPTY_RAW.substring(0, 40)));
    assertThrows(InvalidCidException.class, () -> Cid.parse(EMPTY_RAW + "a"));
    assertThrows(InvalidCidException.class, () -> Cid.parse("bafkrei!"));
    assertThrows(InvalidCidException.class, () -> Cid.parse("x".repeat(300)));
    // version 2 does not exist
    byte[] v2 = HexFormat.of().parseHex("02551220" + "00".repeat(32));
    assertTrue(assertThrows(InvalidCidException.class, () -> Cid.decode(v2)).getMessage().contains("version 2"));
    // a CIDv0 dressed as multibase
    byte[] v0 = Cid.parse(EMPTY_DIR_V0).bytes();
    assertThrows(InvalidCidException.class, () -> Cid.parse("z" + Multibase.encodeBase58btc(v0)));
  }

  @Test
  void base58AndBase32RoundTripEdgeCases() {
    for (byte[] b : List.of(new byte[0], new byte[] {0}, new byte[] {0, 0, 1}, "hello world".getBytes(StandardCharsets.UTF_8),
        TestFiles.randomBytes(100, 9))) {
      assertArrayEquals(b, Multibase.decodeBase58btc(Multibase.encodeBase58btc(b)));
      assertArrayEquals(b, Multibase.decodeBase32(Multibase.encodeBase32(b)));
    }
    assertEquals("StV1DL6CwTryKyV", Multibase.encodeBase58btc("hello world".getBytes(StandardCharsets.UTF_8)));
    assertEquals("nbswy3dpeb3w64tmmq", Multibase.encodeBase32("hello world".getBytes(StandardCharsets.UTF_8)));
  }
}
