package io.infergate.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.bench.payments.BenchChannels;
import io.infergate.bench.payments.BenchChannels.Channel;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.eip712.ChannelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Pays whatever batch-settlement offer the server makes, as a stock x402 client does: the offer of the first
 * 402 is echoed verbatim as {@code accepted} (the x402 reference server matches {@code accepted} against its
 * offer field by field, {@code extra.minDeposit} included, so a re-encoded offer would not match), and the
 * channel is {@link BenchChannels#channel(int, Address, Address, Address, long, long)} towards the offer's
 * receiver, receiver authorizer, token and withdraw delay. Corrective 402s are read as plain JSON trees and
 * {@code PAYMENT-RESPONSE} by {@link PaymentResponseReader} (a path-aware scan), so any conforming server works.
 * The header is this class's own JSON tree ({@link #reference}), laid out once as a {@link VoucherHeader}.
 */
final class ServerOfferPayer implements PaidLoad.Payer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final int index;
  private ObjectNode accepted;
  private ObjectNode channelConfig;
  private Channel channel;
  private VoucherHeader template;

  ServerOfferPayer(int index) {
    this.index = index;
  }

  @Override
  public void start(PaidLoad.Client client) throws IOException {
    accept(client.askForOffer());
  }

  /** Takes the batch-settlement offer of a PAYMENT-REQUIRED header and lays out the channel and the header. */
  void accept(String paymentRequired) {
    JsonNode required = decode(paymentRequired);
    JsonNode offer = null;
    for (JsonNode a : required.path("accepts")) {
      if ("batch-settlement".equals(a.path("scheme").asText())) {
        offer = a;
        break;
      }
    }
    if (offer == null) {
      throw new IllegalStateException("the server offers no batch-settlement payment: " + required);
    }
    accepted = offer.deepCopy();
    ObjectNode extra = (ObjectNode) accepted.path("extra");
    extra.remove("channelState");
    extra.remove("voucherState");
    String network = accepted.path("network").asText();
    if (!network.startsWith("eip155:")) {
      throw new IllegalStateException("offer on network " + network + ", expected eip155:<chain id>");
    }
    channel = BenchChannels.channel(index, Address.parse(accepted.path("payTo").asText()),
        Address.parse(extra.path("receiverAuthorizer").asText()), Address.parse(accepted.path("asset").asText()),
        extra.path("withdrawDelay").asLong(), Long.parseLong(network.substring("eip155:".length())));
    ChannelConfig c = channel.config();
    channelConfig = JSON.createObjectNode()
        .put("payer", c.payer().toChecksumString())
        .put("payerAuthorizer", c.payerAuthorizer().toChecksumString())
        .put("receiver", c.receiver().toChecksumString())
        .put("receiverAuthorizer", c.receiverAuthorizer().toChecksumString())
        .put("token", c.token().toChecksumString())
        .put("withdrawDelay", c.withdrawDelay())
        .put("salt", c.salt().toString());
    template = new VoucherHeader(this::reference);
  }

  @Override
  public byte[] header(BigInteger maxClaimable) {
    return template.encode(maxClaimable, channel.signature(maxClaimable));
  }

  /** The header as a stock client lays it out (JSON tree, then base64): what {@link #template} reproduces. */
  String reference(BigInteger maxClaimable, String signature) {
    ObjectNode payment = JSON.createObjectNode().put("x402Version", 2);
    payment.set("accepted", accepted);
    ObjectNode payload = payment.putObject("payload").put("type", "voucher");
    payload.set("channelConfig", channelConfig);
    payload.putObject("voucher")
        .put("channelId", channel.id().toString())
        .put("maxClaimableAmount", maxClaimable.toString())
        .put("signature", signature);
    try {
      return B64.encodeToString(JSON.writeValueAsBytes(payment));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public PaidLoad.Correction correction(String paymentRequired) {
    JsonNode pr = decode(paymentRequired);
    JsonNode charged = pr.path("accepts").path(0).path("extra").path("channelState").path("chargedCumulativeAmount");
    return new PaidLoad.Correction(pr.path("error").asText(),
        charged.isMissingNode() ? null : new BigInteger(charged.asText()));
  }

  private static JsonNode decode(String header) {
    try {
      return JSON.readTree(new String(B64D.decode(header), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("not base64 JSON: " + header, e);
    }
  }
}
