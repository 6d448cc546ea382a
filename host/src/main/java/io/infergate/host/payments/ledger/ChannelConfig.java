package io.infergate.host.payments.ledger;

/**
 * The immutable configuration of a channel as the ledger stores it: the fields of the x402
 * {@code ChannelConfig} struct, addresses and salt in lower-case hex. The channel id is its EIP-712 hash;
 * checking that is the verifier's job ({@code payments.verify}), the ledger only refuses a different config
 * under a known id.
 *
 * @param withdrawDelay seconds (uint40 on chain)
 */
public record ChannelConfig(
    String payer,
    String payerAuthorizer,
    String receiver,
    String receiverAuthorizer,
    String token,
    long withdrawDelay,
    String salt) {

  public ChannelConfig {
    payer = LedgerValues.address("payer", payer);
    payerAuthorizer = LedgerValues.address("payerAuthorizer", payerAuthorizer);
    receiver = LedgerValues.address("receiver", receiver);
    receiverAuthorizer = LedgerValues.address("receiverAuthorizer", receiverAuthorizer);
    token = LedgerValues.address("token", token);
    salt = LedgerValues.bytes32("salt", salt);
    if (withdrawDelay < 0 || withdrawDelay >= (1L << 40)) {
      throw new IllegalArgumentException("withdrawDelay must be a uint40 (seconds), got: " + withdrawDelay);
    }
  }

  /** The ledger's form of a protocol channel config: addresses and salt as lower-case hex. */
  public static ChannelConfig from(io.infergate.x402.eip712.ChannelConfig c) {
    return new ChannelConfig(lower(c.payer().toString()), lower(c.payerAuthorizer().toString()),
        lower(c.receiver().toString()), lower(c.receiverAuthorizer().toString()), lower(c.token().toString()),
        c.withdrawDelay(), lower(c.salt().toString()));
  }

  private static String lower(String s) {
    return s.toLowerCase(java.util.Locale.ROOT);
  }
}
