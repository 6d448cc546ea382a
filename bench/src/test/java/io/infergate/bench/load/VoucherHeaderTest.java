package io.infergate.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infergate.bench.payments.BenchChannels;
import io.infergate.bench.payments.BenchChannels.Channel;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.crypto.Signature;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequired;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.ResourceInfo;
import io.infergate.x402.wire.SchemePayload;
import io.infergate.x402.wire.X402Codec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load generator's PAYMENT-SIGNATURE headers are the x402 codec's, byte for byte, at every amount. */
class VoucherHeaderTest {
  private static final BigInteger PRICE = BenchChannels.EMBEDDING_PRICE;

  /** Amounts of 1 to 39 digits (every base64 alignment of the variable tail), round prices, and 2^128 - 1. */
  private static List<BigInteger> amounts() {
    List<BigInteger> out = new ArrayList<>();
    for (BigInteger a = BigInteger.ONE; a.bitLength() <= 128; a = a.multiply(BigInteger.TEN).add(BigInteger.valueOf(7))) {
      out.add(a);
    }
    for (long k = 0; k < 7; k++) {
      out.add(PRICE.multiply(BigInteger.valueOf(8_915 + k)));
    }
    out.add(BigInteger.ZERO);
    out.add(BigInteger.valueOf(Long.MAX_VALUE));
    out.add(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE));
    out.add(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE));
    return out;
  }

  @Test
  void benchPayerHeadersEqualTheCodecsEncoding() {
    for (int index = 0; index < 3; index++) {
      Channel channel = BenchChannels.channel(index);
      PaymentRequirements offer = BenchChannels.offer(PRICE);
      PaidLoad.BenchPayer payer = new PaidLoad.BenchPayer(channel, PRICE);
      for (BigInteger amount : amounts()) {
        String fast = new String(payer.header(amount), StandardCharsets.US_ASCII);
        // the reference: BenchChannels' own header, i.e. X402Codec.encodePaymentSignatureHeader of the payload
        assertEquals(channel.header(offer, amount), fast, "channel " + index + ", amount " + amount);
        // and what a server reads from it: the amount, signed by the channel's payer authorizer
        PaymentPayload decoded = X402Codec.decodePaymentSignatureHeader(fast);
        var voucher = ((SchemePayload.VoucherPayload) decoded.payload()).voucher();
        assertEquals(amount, voucher.maxClaimableAmount());
        assertEquals(channel.id(), voucher.channelId());
        assertEquals(channel.config().payerAuthorizer(), Secp256k1.recover(
            BatchSettlementTypedData.voucherDigest(channel.domain(), channel.id(), amount), Signature.parse(voucher.signature())));
      }
    }
  }

  @Test
  void serverOfferHeadersEqualTheirJsonTreeEncoding() {
    PaymentRequired required = PaymentRequired.of(new ResourceInfo("http://127.0.0.1/v1/services/x", null, null),
        List.of(BenchChannels.offer(PRICE)));
    ServerOfferPayer payer = new ServerOfferPayer(1);
    payer.accept(X402Codec.encodePaymentRequiredHeader(required));
    Channel channel = BenchChannels.channel(1);
    for (BigInteger amount : amounts()) {
      assertEquals(payer.reference(amount, channel.sign(amount)),
          new String(payer.header(amount), StandardCharsets.US_ASCII), "amount " + amount);
    }
  }
}
