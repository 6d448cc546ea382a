package io.infergate.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.client.PaymentRefusedException;
import io.infergate.client.channel.ChannelRecord;
import io.infergate.client.store.ChannelStore;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.wire.PaymentRequirements;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client paying a real node (real ledger, real model) call after call, and recovering a lost store. */
class PaidHttpClientNodeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final PrivateKey CONSUMER = PrivateKey.random();
  static final PrivateKey REFUNDER = PrivateKey.random();
  static final BigInteger BALANCE = BigInteger.valueOf(1_000_000);

  @TempDir static Path dir;
  static PaidNode node;

  @BeforeAll
  static void start() throws Exception {
    node = PaidNode.start(dir, BALANCE, CONSUMER, REFUNDER);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void tenPaidCallsEachCheckedThenALostStoreIsRecoveredAndPayingContinues() throws Exception {
    Path storeFile = dir.resolve("client.db");
    BigInteger price;
    try (ChannelStore store = ChannelStore.open(storeFile)) {
      PaidHttpClient client = PaidHttpClient.builder().payer(CONSUMER).store(store).build();
      PaymentRequirements offer = client.offer(node.service());
      price = offer.amount();
      ChannelRecord channel = client.openChannel(offer);
      assertEquals(PaidNode.channelOf(CONSUMER), channel.channelId(), "salts are derived, so the id is reproducible");
      for (int i = 1; i <= 4; i++) {
        PaidResponse r = client.call(node.service(), "{\"texts\":[\"call " + i + "\"]}");
        assertEquals(200, r.status(), r.bodyText());
        assertEquals(384, JSON.readTree(r.body()).path("embeddings").path(0).size(), "a real embedding came back");
        assertEquals(price, r.charged());
        assertEquals(price.multiply(BigInteger.valueOf(i)), store.find(channel.channelId()).orElseThrow().charged());
      }
    }
    Files.delete(storeFile); // the client loses its state
    Files.deleteIfExists(Path.of(storeFile + "-wal"));
    Files.deleteIfExists(Path.of(storeFile + "-shm"));

    try (ChannelStore store = ChannelStore.open(storeFile)) {
      PaidHttpClient client = PaidHttpClient.builder().payer(CONSUMER).store(store).build();
      List<ChannelRecord> recovered = client.recover(node.service());
      assertEquals(1, recovered.size(), "one channel of this key on the node's terms");
      ChannelRecord ch = recovered.get(0);
      assertEquals(price.multiply(BigInteger.valueOf(4)), ch.charged(), "charged, from the node's signed voucher state");
      assertEquals(ch.charged(), ch.signedMax(), "the node's latest voucher, verified as ours, is adopted");
      assertEquals(BALANCE, ch.balance());
      PaidResponse last = null;
      for (int i = 5; i <= 10; i++) {
        last = client.call(node.service(), "{\"texts\":[\"call " + i + "\"]}");
        assertEquals(200, last.status(), last.bodyText());
      }
      BigInteger total = price.multiply(BigInteger.TEN);
      assertEquals(total, last.settlement().extra().channelState().chargedCumulativeAmount(), "node: 10 x price");
      assertEquals(total, store.find(ch.channelId()).orElseThrow().charged(), "client: 10 x price");
    }
  }

  @Test
  void aStoreBehindTheNodeResyncsFromTheSignedCorrectionAndRetriesOnce() throws Exception {
    // two stores for one key: the second has never seen the first's calls, so its voucher is too low
    try (ChannelStore a = ChannelStore.open(dir.resolve("a.db")); ChannelStore b = ChannelStore.open(dir.resolve("b.db"))) {
      PaidHttpClient first = PaidHttpClient.builder().payer(REFUNDER).store(a).build();
      PaidHttpClient second = PaidHttpClient.builder().payer(REFUNDER).store(b).build();
      first.openChannel(first.offer(node.service()));
      second.openChannel(second.offer(node.service()));
      assertEquals(200, first.call(node.service(), "{\"texts\":[\"a\"]}").status());
      assertEquals(200, first.call(node.service(), "{\"texts\":[\"b\"]}").status());
      PaidResponse r = second.call(node.service(), "{\"texts\":[\"c\"]}");
      assertEquals(200, r.status(), r.bodyText());
      BigInteger price = r.charged();
      assertEquals(price.multiply(BigInteger.valueOf(3)), b.find(r.channelId()).orElseThrow().charged());

      // the cooperative refund: the client side speaks the scheme; this node does not serve refunds yet
      PaymentRefusedException refused = assertThrows(PaymentRefusedException.class,
          () -> second.requestRefund(node.service(), null));
      assertEquals("invalid_batch_settlement_evm_refund_payload", refused.errorCode().orElseThrow());
      assertTrue(refused.getMessage().contains("withdraw"), refused.getMessage());
    }
  }

  @Test
  void aNodeRelayedDepositCarriesAnErc3009AuthorizationTheNodeVerifies() throws Exception {
    // The node checks the voucher and the ERC-3009 signature (payer, token domain, collector, nonce from
    // channelId and salt) before it would submit; this node has no chain yet, so it stops exactly there.
    try (ChannelStore store = ChannelStore.open(dir.resolve("deposit.db"))) {
      PaidHttpClient client = PaidHttpClient.builder().payer(PrivateKey.random()).store(store).build();
      PaymentRefusedException e = assertThrows(PaymentRefusedException.class, () -> client.deposit(node.service(),
          "{\"texts\":[\"hi\"]}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          java.util.Map.of("Content-Type", "application/json"), BigInteger.valueOf(50_000)));
      assertEquals("invalid_batch_settlement_evm_deposit_transaction_failed", e.errorCode().orElseThrow(), e.getMessage());
      assertTrue(e.getMessage().contains("not connected to a chain"), e.getMessage());
    }
  }

  static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }
}
