package io.infergate.host.ipfs.dagpb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.cid.Codec;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PbNodeTest {
  private static final HexFormat HEX = HexFormat.of();
  private final Cid leaf = Cid.compute(Codec.RAW, new byte[] {1, 2, 3});

  @Test
  void encodesLinksFirstWithHashNameTsize() {
    PbNode node = new PbNode(List.of(PbLink.unnamed(leaf, 3)), new byte[] {0x08, 0x02});
    byte[] bytes = node.encode();
    // 0x12 <len> { 0x0a 0x24 <cid> 0x12 0x00 0x18 0x03 } 0x0a 0x02 0x08 0x02
    assertEquals("122a0a24", HEX.formatHex(bytes, 0, 4));
    assertEquals("120018030a020802", HEX.formatHex(bytes, bytes.length - 8, bytes.length));
    assertEquals(node, PbNode.decode(bytes, 10));
  }

  @Test
  void theEmptyDirectoryHasItsWellKnownCid() {
    byte[] emptyDir = new PbNode(List.of(), new byte[] {0x08, 0x01}).encode();
    assertArrayEquals(HEX.parseHex("0a020801"), emptyDir);
    assertEquals("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn",
        io.infergate.host.ipfs.cid.Cid.v0(io.infergate.host.ipfs.cid.Multihash.sha256(emptyDir)).toString());
  }

  @Test
  void decodingIsStrict() {
    byte[] dataThenLink = HEX.parseHex("0a020801" + HEX.formatHex(new PbNode(List.of(PbLink.unnamed(leaf, 3)), null).encode()));
    assertTrue(assertThrows(DagPbException.class, () -> PbNode.decode(dataThenLink, 10)).getMessage()
        .contains("links first"));
    assertThrows(DagPbException.class, () -> PbNode.decode(HEX.parseHex("0a0208010a020801"), 10));
    assertTrue(assertThrows(DagPbException.class, () -> PbNode.decode(HEX.parseHex("1801"), 10)).getMessage()
        .contains("unexpected field 3"));
    assertThrows(DagPbException.class, () -> PbNode.decode(HEX.parseHex("0a05"), 10));
    // link with Tsize before Hash
    byte[] cid = leaf.bytes();
    byte[] outOfOrder = HEX.parseHex("12" + String.format("%02x", cid.length + 4) + "1803" + "0a24" + HEX.formatHex(cid));
    assertTrue(assertThrows(DagPbException.class, () -> PbNode.decode(outOfOrder, 10)).getMessage().contains("order"));
    byte[] noHash = HEX.parseHex("12021803");
    assertTrue(assertThrows(DagPbException.class, () -> PbNode.decode(noHash, 10)).getMessage().contains("without a Hash"));
    PbNode many = new PbNode(List.of(PbLink.unnamed(leaf, 3), PbLink.unnamed(leaf, 3), PbLink.unnamed(leaf, 3)), null);
    assertTrue(assertThrows(DagPbException.class, () -> PbNode.decode(many.encode(), 2)).getMessage().contains("more than 2 links"));
  }

  @Test
  void linkToUnsupportedCodecIsNamed() {
    byte[] cbor = HEX.parseHex("01711220" + "00".repeat(32));
    byte[] node = HEX.parseHex("12260a24" + HEX.formatHex(cbor));
    assertTrue(assertThrows(DagPbException.class, () -> PbNode.decode(node, 10)).getMessage().contains("dag-cbor"));
  }
}
