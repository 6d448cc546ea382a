package io.infergate.client.http;

import io.infergate.client.channel.ChannelTerms;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import io.infergate.testkit.InfergateTestHost;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.Eip712Domain;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A real Infergate node with payments on, a real SQLite ledger and the example text-embedding plugin (real
 * MiniLM model). No chain here: the channel's on-chain state is written into the ledger as the chain watcher
 * would after the consumer's deposit.
 */
public final class PaidNode implements AutoCloseable {
  static final long CHAIN = 31337;
  static final Address CONTRACT = Address.parse("0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003");
  static final Address ASSET = PrivateKey.random().address();
  static final Address PAY_TO = PrivateKey.random().address();
  static final Address AUTHORIZER = PrivateKey.random().address();
  static final long WITHDRAW_DELAY = 86400;
  /** The node's receipt key and the ReceiptAnchor its receipts name (no chain here: only the address matters). */
  public static final PrivateKey RECEIPT_KEY = PrivateKey.random();
  public static final Address RECEIPT_ANCHOR = Address.parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");

  public final InfergateTestHost host;
  final Path ledger;

  private PaidNode(InfergateTestHost host, Path ledger) {
    this.host = host;
    this.ledger = ledger;
  }

  static Path repo() {
    return Path.of(System.getProperty("infergate.repo.dir", "..")).toAbsolutePath().normalize();
  }

  /** Starts the node; {@code consumers} have channel 0 on the node's terms funded with {@code balance} each. */
  public static PaidNode start(Path dir, BigInteger balance, PrivateKey... consumers) throws Exception {
    Path ledgerFile = dir.resolve("ledger.sqlite");
    try (ChannelLedger ledger = SqliteChannelLedger.open(ledgerFile, Clock.systemUTC())) {
      for (PrivateKey consumer : consumers) {
        ChannelConfig c = terms().config(consumer.address(), consumer.address(), 0);
        String id = BatchSettlementTypedData.channelId(Eip712Domain.batchSettlement(CHAIN, CONTRACT), c).toString();
        ledger.upsertChannel(id, new io.infergate.host.payments.ledger.ChannelConfig(hex(c.payer()),
            hex(c.payerAuthorizer()), hex(c.receiver()), hex(c.receiverAuthorizer()), hex(c.token()), c.withdrawDelay(),
            c.salt().toString()));
        ledger.applyChainState(id, balance, BigInteger.ZERO, 0, BigInteger.ZERO, 1);
      }
    }
    Path plugin = repo().resolve("plugins/text-embedding/target");
    Path zip;
    try (Stream<Path> s = Files.list(plugin)) {
      zip = s.filter(p -> p.toString().endsWith(".zip")).findFirst()
          .orElseThrow(() -> new IllegalStateException("build plugins/text-embedding first (mvn install -pl plugins/text-embedding)"));
    }
    InfergateTestHost host = InfergateTestHost.builder().plugin(zip).modelDirectory(plugin.resolve("models"))
        .config("payments.enabled", "true")
        .config("payments.chain-id", String.valueOf(CHAIN))
        .config("payments.asset", ASSET.toString())
        .config("payments.asset-name", "DevUSD")
        .config("payments.pay-to", PAY_TO.toString())
        .config("payments.receiver-authorizer", AUTHORIZER.toString())
        .config("payments.ledger", ledgerFile.toString())
        .config("receipts.anchor", RECEIPT_ANCHOR.toString())
        .environment(java.util.Map.of("INFERGATE_RECEIPT_SIGNER_KEY", RECEIPT_KEY.exportSecretHex()))
        .start();
    return new PaidNode(host, ledgerFile);
  }

  static ChannelTerms terms() {
    return new ChannelTerms("eip155:" + CHAIN, PAY_TO, ASSET, AUTHORIZER, WITHDRAW_DELAY);
  }

  public static Bytes32 channelOf(PrivateKey consumer) {
    return BatchSettlementTypedData.channelId(Eip712Domain.batchSettlement(CHAIN, CONTRACT),
        terms().config(consumer.address(), consumer.address(), 0));
  }

  public URI service() {
    return host.baseUri().resolve("/v1/services/text-embedding");
  }

  private static String hex(Address a) {
    return a.toLowerHex().toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    host.close();
  }
}
