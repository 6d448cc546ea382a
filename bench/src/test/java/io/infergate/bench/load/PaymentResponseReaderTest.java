package io.infergate.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.bench.payments.BenchChannels;
import io.infergate.x402.wire.ChannelState;
import io.infergate.x402.wire.SettlementResponse;
import io.infergate.x402.wire.VoucherState;
import io.infergate.x402.wire.X402Codec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load generator's PAYMENT-RESPONSE reader takes the same chargedCumulativeAmount as the x402 codec. */
class PaymentResponseReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<BigInteger> AMOUNTS = List.of(BigInteger.ZERO, BigInteger.valueOf(1000),
      BigInteger.valueOf(8_915_000), BigInteger.valueOf(999_999_999_999_999_999L), BigInteger.valueOf(Long.MAX_VALUE),
      BigInteger.ONE.shiftLeft(127).add(BigInteger.valueOf(12345)));

  private final PaymentResponseReader reader = new PaymentResponseReader();

  private static SettlementResponse response(BigInteger charged, ObjectNode extensions, boolean voucherState) {
    var channel = BenchChannels.channel(0);
    ChannelState state = new ChannelState(channel.id(), BenchChannels.BALANCE, BigInteger.ZERO, 0, BigInteger.ZERO, charged);
    return new SettlementResponse(true, null, null, "", "eip155:31337", channel.config().payer().toString(), "",
        new SettlementResponse.Extra(BigInteger.valueOf(1000), state,
            voucherState ? new VoucherState(charged.add(BigInteger.TEN), "0x" + "ab".repeat(65)) : null), extensions);
  }

  /** An inference receipt's worth of extension (about 6 KB) that names chargedCumulativeAmount too, at other paths. */
  private static ObjectNode receiptLikeExtensions(BigInteger decoy) {
    ObjectNode ext = JSON.createObjectNode();
    ObjectNode receipt = ext.putObject("inference-receipt");
    var types = receipt.putObject("types").putArray("InferenceReceipt");
    for (String name : List.of("requestHash", "responseHash", "channelId", "chargedAmount", "chargedCumulativeAmount")) {
      types.addObject().put("name", name).put("type", "uint128");
    }
    ObjectNode message = receipt.putObject("message");
    message.put("chargedCumulativeAmount", decoy.toString()).put("note", "braces } { ] [ and \"quotes\" \\ in a string");
    receipt.putObject("extra").putObject("channelState").put("chargedCumulativeAmount", decoy.toString());
    var padding = receipt.putArray("padding");
    for (int i = 0; i < 60; i++) {
      padding.addObject().put("i", i).put("hash", "0x" + Integer.toHexString(i).repeat(32)).putNull("nothing")
          .put("ok", i % 2 == 0).put("x", -1.5e3);
    }
    return ext;
  }

  private BigInteger fast(String header) {
    byte[] b = ("  " + header + " ").getBytes(StandardCharsets.US_ASCII);   // the reader takes a slice of a buffer
    return reader.chargedCumulative(b, 2, header.length());
  }

  private static BigInteger reference(String header) {
    return X402Codec.decodePaymentResponseHeader(header).extra().channelState().chargedCumulativeAmount();
  }

  @Test
  void sameAmountAsTheCodecWithAndWithoutAReceipt() {
    for (BigInteger charged : AMOUNTS) {
      for (ObjectNode extensions : new ObjectNode[] {null, receiptLikeExtensions(charged.add(BigInteger.valueOf(777)))}) {
        for (boolean voucherState : new boolean[] {false, true}) {
          String header = X402Codec.encodePaymentResponseHeader(response(charged, extensions, voucherState));
          assertEquals(reference(header), fast(header));
          assertEquals(charged, fast(header));
        }
      }
    }
  }

  @Test
  void findsTheChannelsAmountWhateverTheMemberOrder() {
    for (BigInteger charged : AMOUNTS) {
      // the receipt first, spaces between tokens, the amount as a bare number: still the channel's amount
      String json = "{ \"extensions\" : " + receiptLikeExtensions(BigInteger.valueOf(5)) + ",\n \"extra\": {\"channelState\":"
          + " {\"chargedCumulativeAmount\": " + charged + " , \"balance\": \"1\"}, \"chargedAmount\": \"1000\"},"
          + " \"success\" : true }";
      String header = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
      assertEquals(charged, fast(header));
      assertEquals(charged, new BigInteger(readTree(json).path("extra").path("channelState")
          .path("chargedCumulativeAmount").asText()));
    }
  }

  @Test
  void failsWithoutSuccessOrAmount() {
    SettlementResponse ok = response(BigInteger.valueOf(1000), null, false);
    SettlementResponse failed = new SettlementResponse(false, "x", null, "", ok.network(), null, "", ok.extra(), null);
    SettlementResponse noState = new SettlementResponse(true, null, null, "", ok.network(), null, "",
        new SettlementResponse.Extra(BigInteger.ONE, null, null), null);
    for (SettlementResponse r : List.of(failed, noState)) {
      String header = X402Codec.encodePaymentResponseHeader(r);
      assertThrows(IllegalStateException.class, () -> fast(header));
    }
    assertThrows(IllegalStateException.class, () -> fast("not base64!"));
    assertThrows(IllegalStateException.class, () -> fast(Base64.getEncoder().encodeToString("[1]".getBytes(StandardCharsets.UTF_8))));
  }

  private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
