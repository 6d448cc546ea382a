package io.infergate.host.payments.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.TestPostgres;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link LedgerDatabase#exclusively} on a real PostgreSQL, between two ledger instances (two replicas): one holder at a
 * time per name, other names unaffected, and a holder whose process goes away (its session ends) frees the name
 * without anyone unlocking it.
 */
class PostgresNamedLocksTest {

  @Test
  void oneReplicaAtATimeHoldsANameAndADeadHolderFreesIt() throws Exception {
    String url = TestPostgres.freshSchemaUrl();
    PostgresChannelLedger first = PostgresChannelLedger.open(url, 2, Clock.systemUTC());
    ExecutorService replicas = Executors.newFixedThreadPool(2);     // one thread each: they must run at once
    try (PostgresChannelLedger second = PostgresChannelLedger.open(url, 2, Clock.systemUTC())) {
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch never = new CountDownLatch(1);
      CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> first.database().exclusively("sender/0xab", () -> {
        held.countDown();
        try {
          never.await();      // a send stuck in a chain RPC, until its process dies
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return null;
      }), replicas);
      assertTrue(held.await(10, TimeUnit.SECONDS));

      assertEquals("other", second.database().exclusively("sender/0xcd", () -> "other"), "another key is free");
      AtomicBoolean asking = new AtomicBoolean();
      AtomicBoolean ran = new AtomicBoolean();
      CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> {
        asking.set(true);
        return second.database().exclusively("sender/0xab", () -> {
          ran.set(true);
          return "mine";
        });
      }, replicas);
      Thread.sleep(1000);
      assertTrue(asking.get(), "the second replica is asking for the name");
      assertFalse(ran.get(), "the second replica waits while the first holds the name");

      first.close();      // the first replica's process ends: its lock session with it
      assertEquals("mine", waiter.get(20, TimeUnit.SECONDS));
      never.countDown();
      holder.get(10, TimeUnit.SECONDS);
    } finally {
      replicas.shutdownNow();
    }
  }

  @Test
  void aDatabaseThatCannotBeReachedRefusesTheLockAndRunsNothing() {
    PostgresNamedLocks locks = new PostgresNamedLocks("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2",
        "127.0.0.1:1");
    AtomicBoolean ran = new AtomicBoolean();
    LedgerException e = assertThrows(LedgerException.class, () -> locks.exclusively("sender/0xab", () -> {
      ran.set(true);
      return null;
    }));
    assertFalse(ran.get());
    assertTrue(e.getMessage().contains("cannot take the lock 'sender/0xab'") && e.getMessage().contains("retry"),
        e.getMessage());
  }
}
