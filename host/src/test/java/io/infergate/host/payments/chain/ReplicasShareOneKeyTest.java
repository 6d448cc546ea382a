package io.infergate.host.payments.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.TestPostgres;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.PostgresChannelLedger;
import io.infergate.x402.crypto.PrivateKey;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Two replicas on one real PostgreSQL ledger, each with its own {@link TransactionSender} for the same facilitator key,
 * sending at the same time on a real anvil (blocks mined as transactions arrive): each reads the key's pending count
 * for its next nonce, so without a lock across the replicas both would sign the same nonce and the chain would refuse
 * one of them. Every transaction must be accepted, mined, and carry a nonce of its own.
 */
class ReplicasShareOneKeyTest {
  private static final int SENDS_PER_REPLICA = 12;
  private static ChainTestbed bed;

  @BeforeAll
  static void startChain() {
    bed = new ChainTestbed();
  }

  @AfterAll
  static void stopChain() {
    bed.close();
  }

  @Test
  void twoReplicasSendingWithOneKeyNeverSignOneNonceTwice() throws Exception {
    String url = TestPostgres.freshSchemaUrl();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (ChannelLedger first = PostgresChannelLedger.open(url, 2, Clock.systemUTC());
         ChannelLedger second = PostgresChannelLedger.open(url, 2, Clock.systemUTC())) {
      List<TransactionSender> replicas = List.of(
          TransactionSender.create(bed.settlement, bed.facilitator, Duration.ofMillis(20), Clock.systemUTC(),
              SentTransactionJournal.in(first.database())),
          TransactionSender.create(bed.settlement, bed.facilitator, Duration.ofMillis(20), Clock.systemUTC(),
              SentTransactionJournal.in(second.database())));
      String payee = PrivateKey.random().address().toString();
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<String>>> sent = new ArrayList<>();
      for (TransactionSender replica : replicas) {
        sent.add(threads.submit(() -> {
          go.await();
          List<String> hashes = new ArrayList<>();
          for (int i = 0; i < SENDS_PER_REPLICA; i++) {
            hashes.add(replica.send(payee, "0x", BigInteger.valueOf(21_000),
                new TransactionSender.Purpose(TransactionSender.Kind.OTHER, "a test transfer"), hash -> {}));
          }
          return hashes;
        }));
      }
      go.countDown();
      List<String> hashes = new ArrayList<>();
      for (Future<List<String>> f : sent) {
        hashes.addAll(f.get(120, TimeUnit.SECONDS));    // a refused broadcast fails the test here, with its reason
      }

      Set<BigInteger> nonces = new HashSet<>();
      for (String hash : hashes) {
        TransactionReceipt receipt = replicas.getFirst().receipt(hash).orElseThrow(() -> new AssertionError(
            hash + " was accepted but never mined"));
        assertTrue(receipt.isStatusOK(), hash);
        nonces.add(bed.settlement.web3j().ethGetTransactionByHash(hash).send().getTransaction().orElseThrow()
            .getNonce());
      }
      assertEquals(2 * SENDS_PER_REPLICA, nonces.size(), "every transaction has a nonce of its own: " + nonces);
    } finally {
      threads.shutdownNow();
    }
  }
}
