package io.infergate.host.payments.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.TestPostgres;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.LedgerException;
import io.infergate.host.payments.ledger.PostgresChannelLedger;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The record of sent transactions in a real ledger database, SQLite and PostgreSQL: what one sender broadcast is
 * what the next one (a restart) starts from; two senders of one key (replicas) see each other's replacements without
 * overwriting them; mined nonces are forgotten in the database too.
 */
class SentTransactionJournalTest {
  private static final String KEY = "0x00000000000000000000000000000000000000Fa";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final TransactionSender.Purpose DEPOSIT =
      new TransactionSender.Purpose(TransactionSender.Kind.DEPOSIT, "the deposit into channel 0x01");
  private static final TransactionSender.Purpose REFUND =
      new TransactionSender.Purpose(TransactionSender.Kind.REFUND, "the refund of channel 0x02");

  @TempDir Path dir;

  private ChannelLedger open(String dialect, String[] postgresUrl) {
    if (dialect.equals("sqlite")) {
      return SqliteChannelLedger.open(dir.resolve("ledger.db"), Clock.systemUTC());
    }
    if (postgresUrl[0] == null) {
      postgresUrl[0] = TestPostgres.freshSchemaUrl();
    }
    return PostgresChannelLedger.open(postgresUrl[0], 2, Clock.systemUTC());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aRestartedSenderStartsFromWhatTheLastOneBroadcast(String dialect) {
    String[] url = new String[1];
    try (ChannelLedger first = open(dialect, url)) {
      SentTransactions sent = new SentTransactions(SentTransactionJournal.in(first.database()), KEY);
      sent.broadcast(BigInteger.valueOf(7), DEPOSIT, "0xaa", T0);
      sent.broadcast(BigInteger.valueOf(7), TransactionSender.Purpose.other(), "0xbb", T0.plusSeconds(30));
      sent.broadcast(BigInteger.valueOf(8), REFUND, "0xcc", T0.plusSeconds(31));
      sent.waitAgain(BigInteger.valueOf(8), T0.plusSeconds(90));
    }
    try (ChannelLedger again = open(dialect, url)) {
      SentTransactions restarted = new SentTransactions(SentTransactionJournal.in(again.database()), KEY.toLowerCase());
      List<SentTransactions.AtNonce> all = restarted.all();
      assertEquals(2, all.size(), all.toString());
      SentTransactions.AtNonce seven = all.getFirst();
      assertEquals(BigInteger.valueOf(7), seven.nonce());
      assertEquals(List.of("0xaa", "0xbb"), seven.hashes(), "the original, then its replacement");
      assertEquals(DEPOSIT, seven.purpose(), "a replacement keeps the original's purpose");
      assertEquals(T0.plusSeconds(30), seven.lastBroadcast(), "the wait runs from the newest broadcast");
      assertEquals(REFUND, all.get(1).purpose());
      assertEquals(T0.plusSeconds(90), all.get(1).lastBroadcast(), "a wait that started again is kept");
      assertTrue(new SentTransactions(SentTransactionJournal.in(again.database()), "0x" + "ab".repeat(20)).all()
          .isEmpty(), "another key's memory is its own");

      restarted.minedBelow(BigInteger.valueOf(8));
      assertEquals(List.of(BigInteger.valueOf(8)), new SentTransactions(SentTransactionJournal.in(again.database()),
          KEY).all().stream().map(SentTransactions.AtNonce::nonce).toList(), "mined nonces leave the database too");
    }
  }

  /** Replicas share a PostgreSQL ledger; a SQLite file belongs to one process, whose memory holds all it wrote. */
  @Test
  void twoSendersOfOneKeySeeEachOthersReplacementsWithoutLosingTheirOwn() {
    String[] url = new String[1];
    try (ChannelLedger ledger = open("postgres", url)) {
      SentTransactionJournal journal = SentTransactionJournal.in(ledger.database());
      SentTransactions replica = new SentTransactions(journal, KEY);
      SentTransactions leader = new SentTransactions(journal, KEY);
      replica.broadcast(BigInteger.TEN, DEPOSIT, "0x01", T0);

      assertTrue(leader.at(BigInteger.TEN).isEmpty(), "sent after the leader started: not in its memory");
      SentTransactions.AtNonce found = leader.recorded(BigInteger.TEN).orElseThrow();
      assertEquals(DEPOSIT, found.purpose());
      assertEquals(List.of("0x01"), found.hashes());
      leader.broadcast(BigInteger.TEN, TransactionSender.Purpose.other(), "0x02", T0.plusSeconds(60));
      replica.broadcast(BigInteger.TEN, TransactionSender.Purpose.other(), "0x03", T0.plusSeconds(61));

      assertEquals(List.of("0x01", "0x02", "0x03"), replica.recorded(BigInteger.TEN).orElseThrow().hashes(),
          "the replica waits for the leader's replacement too, in the order they were sent");
      assertEquals(List.of("0x01", "0x02", "0x03"), leader.recorded(BigInteger.TEN).orElseThrow().hashes());
      assertEquals(DEPOSIT, leader.recorded(BigInteger.TEN).orElseThrow().purpose());
    }
  }

  @Test
  void nothingIsBroadcastWhenTheRecordCannotBeWritten() {
    ChannelLedger ledger = open("sqlite", new String[1]);
    SentTransactions sent = new SentTransactions(SentTransactionJournal.in(ledger.database()), KEY);
    ledger.close();
    assertThrows(LedgerException.class, () -> sent.broadcast(BigInteger.ONE, DEPOSIT, "0xaa", T0));
    assertTrue(sent.at(BigInteger.ONE).isEmpty(), "not remembered either: the caller does not broadcast it");
  }
}
