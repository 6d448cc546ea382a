package io.infergate.bench.payments;

import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.wire.BatchSettlementExtra;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.SchemePayload;
import io.infergate.x402.wire.SignedVoucher;
import io.infergate.x402.wire.X402Codec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/**
 * Deterministic payment channels for the payment benchmarks: the same index gives the same consumer key,
 * channel config and channel id in the seeding tool, the load generator and JMH, so the ledger can be
 * seeded before a node starts (as the chain watcher would after a deposit, cf. {@code PaymentGateTest})
 * and the clients can pay into it later without sharing any state but this class.
 *
 * <p>{@code BenchChannels seed <ledger.sqlite> <n>} seeds channels 0..n-1 with a balance that never runs out;
 * {@code BenchChannels settings} prints the node's {@code --set} flags that match them.
 */
public final class BenchChannels {
  public static final long CHAIN = 31337;
  /** The host's default {@code payments.batch-settlement}. */
  public static final Address CONTRACT = Address.parse("0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003");
  public static final Address ASSET = key("asset").address();
  public static final Address PAY_TO = key("pay-to").address();
  public static final Address AUTHORIZER = key("receiver-authorizer").address();
  public static final long WITHDRAW_DELAY = 86400;
  public static final Eip712Domain DOMAIN = Eip712Domain.batchSettlement(CHAIN, CONTRACT);
  /** Never runs out: 10^30 atomic units. */
  public static final BigInteger BALANCE = BigInteger.TEN.pow(30);
  /** The text-embedding plugin's price per call. */
  public static final BigInteger EMBEDDING_PRICE = BigInteger.valueOf(1000);

  private BenchChannels() {}

  /** One consumer's channel: its key, config, id and the channel contract's EIP-712 domain. */
  public record Channel(int index, PrivateKey consumer, ChannelConfig config, Bytes32 id, Eip712Domain domain) {
    public String idHex() {
      return id.toString().toLowerCase(Locale.ROOT);
    }

    /** A voucher for {@code maxClaimable} (cumulative), signed with the channel's payerAuthorizer. */
    public String sign(BigInteger maxClaimable) {
      return Secp256k1.sign(BatchSettlementTypedData.voucherDigest(domain, id, maxClaimable), consumer).toHex();
    }

    /** {@link #sign}'s signature as its 65 bytes {@code r‖s‖v}. */
    public byte[] signature(BigInteger maxClaimable) {
      return Secp256k1.sign(BatchSettlementTypedData.voucherDigest(domain, id, maxClaimable), consumer).toBytes();
    }

    /** The whole {@code PAYMENT-SIGNATURE} header for a voucher of {@code maxClaimable}. */
    public String header(PaymentRequirements offer, BigInteger maxClaimable) {
      return header(offer, maxClaimable, sign(maxClaimable));
    }

    /** The {@code PAYMENT-SIGNATURE} header for a voucher of {@code maxClaimable} carrying {@code signature}. */
    public String header(PaymentRequirements offer, BigInteger maxClaimable, String signature) {
      PaymentPayload payload = new PaymentPayload(2, offer,
          new SchemePayload.VoucherPayload(config, new SignedVoucher(id, maxClaimable, signature)), null, null);
      return X402Codec.encodePaymentSignatureHeader(payload);
    }

    /** The ledger's form of the config (lower-case hex), as the gate's {@code LedgerMapping} writes it. */
    public io.infergate.host.payments.ledger.ChannelConfig ledgerConfig() {
      return new io.infergate.host.payments.ledger.ChannelConfig(lower(config.payer()), lower(config.payerAuthorizer()),
          lower(config.receiver()), lower(config.receiverAuthorizer()), lower(config.token()), config.withdrawDelay(),
          config.salt().toString().toLowerCase(Locale.ROOT));
    }
  }

  public static Channel channel(int index) {
    return channel(index, PAY_TO, AUTHORIZER, ASSET, WITHDRAW_DELAY, CHAIN);
  }

  /**
   * Channel {@code index} (same consumer key and salt as {@link #channel(int)}) towards another receiver: the
   * x402 reference peer of {@code bench/peer}, whose receiver, authorizer and token live on a real dev chain.
   * The channel contract is the canonical x402 address on every chain.
   */
  public static Channel channel(int index, Address payTo, Address receiverAuthorizer, Address token,
      long withdrawDelay, long chainId) {
    PrivateKey consumer = key("consumer-" + index);
    ChannelConfig config = new ChannelConfig(consumer.address(), consumer.address(), payTo, receiverAuthorizer, token,
        withdrawDelay, Bytes32.keccak(("salt-" + index).getBytes(StandardCharsets.UTF_8)));
    Eip712Domain domain = Eip712Domain.batchSettlement(chainId, CONTRACT);
    return new Channel(index, consumer, config, BatchSettlementTypedData.channelId(domain, config), domain);
  }

  /** The offer the node makes for a service of price {@code price} (what the client echoes as accepted). */
  public static PaymentRequirements offer(BigInteger price) {
    return PaymentRequirements.batchSettlement(CHAIN, price, ASSET, PAY_TO, 3600,
        BatchSettlementExtra.of(AUTHORIZER, WITHDRAW_DELAY, "DevUSD", "1"));
  }

  /** Puts channel {@code c} into {@code ledger} funded, as the chain watcher does after a deposit. */
  public static void seed(ChannelLedger ledger, Channel c) {
    ledger.upsertChannel(c.idHex(), c.ledgerConfig());
    ledger.applyChainState(c.idHex(), BALANCE, BigInteger.ZERO, 0, BigInteger.ZERO, 1);
  }

  /** The node's payment settings matching these channels. */
  public static String[] nodeSettings(Path ledger) {
    return new String[] {"payments.enabled=true", "payments.chain-id=" + CHAIN, "payments.batch-settlement=" + CONTRACT,
        "payments.asset=" + ASSET, "payments.asset-name=DevUSD", "payments.pay-to=" + PAY_TO,
        "payments.receiver-authorizer=" + AUTHORIZER, "payments.withdraw-delay-seconds=" + WITHDRAW_DELAY,
        "payments.ledger=" + ledger.toAbsolutePath()};
  }

  /** The bench node's receipt key (a fixed dev key; export it as INFERGATE_RECEIPT_SIGNER_KEY). */
  public static final PrivateKey RECEIPT_KEY = key("receipt-signer");

  /** Receipts on: the anchor address the receipts name (no chain needed to sign them). */
  public static String[] receiptSettings() {
    return new String[] {"receipts.enabled=true", "receipts.anchor=0x5FbDB2315678afecb367f032d93F642f64180aa3"};
  }

  private static PrivateKey key(String name) {
    return PrivateKey.of(Bytes32.keccak(("infergate-bench-" + name).getBytes(StandardCharsets.UTF_8)).toBytes());
  }

  private static String lower(Address a) {
    return a.toString().toLowerCase(Locale.ROOT);
  }

  public static void main(String[] args) {
    if (args.length == 3 && args[0].equals("seed")) {
      int n = Integer.parseInt(args[2]);
      try (ChannelLedger ledger = SqliteChannelLedger.open(Path.of(args[1]), Clock.systemUTC())) {
        for (int i = 0; i < n; i++) {
          seed(ledger, channel(i));
        }
      }
      System.out.println("seeded " + n + " channels in " + args[1]);
    } else if ((args.length == 2 || args.length == 3) && args[0].equals("settings")) {
      for (String s : nodeSettings(Path.of(args[1]))) {
        System.out.println(s);
      }
      boolean receipts = args.length == 2 || args[2].equals("receipts");
      for (String s : receipts ? receiptSettings() : new String[] {"receipts.enabled=false"}) {
        System.out.println(s);
      }
    } else if (args.length == 1 && args[0].equals("receipt-key")) {
      System.out.println(RECEIPT_KEY.exportSecretHex());
    } else {
      throw new IllegalArgumentException("usage: BenchChannels seed <ledger.sqlite> <n> | settings <ledger.sqlite>"
          + " [receipts|no-receipts] | receipt-key");
    }
  }
}
