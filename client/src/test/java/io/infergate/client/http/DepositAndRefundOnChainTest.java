package io.infergate.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infergate.client.store.ChannelStore;
import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.host.payments.chain.DevNetwork;
import io.infergate.testkit.InfergateTestHost;
import io.infergate.x402.crypto.Address;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The Java client against a node on a real chain: its first call carries an ERC-3009 deposit the node
 * submits, later calls pay with vouchers, and a cooperative refund returns what was not charged while
 * the node claims what was.
 */
class DepositAndRefundOnChainTest {
  @TempDir Path dir;

  @Test
  void depositThroughTheNodeThenPayThenRefundTheRest() throws Exception {
    Path plugin = Path.of("").toAbsolutePath().getParent().resolve("plugins/text-embedding/target");
    Path zip;
    try (Stream<Path> s = Files.list(plugin)) {
      zip = s.filter(p -> p.toString().endsWith(".zip")).findFirst().orElseThrow();
    }
    try (DevNetwork network = DevNetwork.start();
        InfergateTestHost node = InfergateTestHost.builder().plugin(zip).modelDirectory(plugin.resolve("models"))
            .environment(network.nodeEnvironment())
            .config("payments.ledger", dir.resolve("ledger.sqlite").toString())
            .config("payments.claims.tick-ms", "600000")
            .configAll(network.nodeConfig())
            .start();
        ChannelStore store = ChannelStore.open(dir.resolve("client.db"))) {
      PaidHttpClient client = PaidHttpClient.builder().payer(network.consumer()).store(store)
          .batchSettlement(Address.parse(network.contracts().batchSettlement()))
          .erc3009Collector(Address.parse(network.contracts().erc3009Collector())).build();
      var url = node.baseUri().resolve("/v1/services/text-embedding");
      PaidResponse first = client.deposit(url, "{\"texts\":[\"hi\"]}".getBytes(StandardCharsets.UTF_8),
          Map.of("Content-Type", "application/json"), BigInteger.valueOf(100_000));
      assertEquals(200, first.status(), first.bodyText());
      BigInteger price = first.charged();
      assertEquals(200, client.call(url, "{\"texts\":[\"again\"]}").status());

      PaidResponse refund = client.requestRefund(url, null);
      assertEquals(200, refund.status(), refund.bodyText());

      BatchSettlement contract = BatchSettlement.load(network.contracts().batchSettlement(), network.chain().web3j(),
          new ReadonlyTransactionManager(network.chain().web3j(), network.consumer().address().toString()),
          new DefaultGasProvider());
      var onChain = contract.channels(Numeric.hexStringToByteArray(first.channelId().toString())).send();
      BigInteger charged = price.multiply(BigInteger.TWO);
      assertEquals(charged, onChain.component1(), "what stays in the channel is exactly what was charged");
      assertEquals(charged, onChain.component2(), "and the node claimed it in the refund transaction");
      assertEquals(charged, store.find(first.channelId()).orElseThrow().balance(), "the client's view follows the refund");
    }
  }
}
