package io.infergate.host.payments.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentTransactionsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final TransactionSender.Purpose DEPOSIT =
      new TransactionSender.Purpose(TransactionSender.Kind.DEPOSIT, "the deposit into channel 0x01");
  private static final TransactionSender.Purpose CLAIM =
      new TransactionSender.Purpose(TransactionSender.Kind.CLAIM, "claim 0x02");

  @Test
  void aReplacementJoinsItsNonceKeepsThePurposeAndRestartsTheWait() {
    SentTransactions sent = new SentTransactions();
    sent.broadcast(BigInteger.ONE, DEPOSIT, "0xa", T0);
    sent.broadcast(BigInteger.ONE, TransactionSender.Purpose.other(), "0xb", T0.plusSeconds(5));

    SentTransactions.AtNonce at = sent.at(BigInteger.ONE).orElseThrow();
    assertEquals(List.of("0xa", "0xb"), at.hashes());
    assertEquals(DEPOSIT, at.purpose());
    assertEquals(T0.plusSeconds(5), at.lastBroadcast());
    assertEquals(BigInteger.ONE, sent.nonceOf("0xB").orElseThrow());
  }

  @Test
  void aNonceFirstSeenAsUnknownTakesTheClaimPurposeOfItsReplacement() {
    SentTransactions sent = new SentTransactions();
    sent.broadcast(BigInteger.TWO, TransactionSender.Purpose.other(), "0xa", T0);
    sent.broadcast(BigInteger.TWO, CLAIM, "0xb", T0);
    assertEquals(CLAIM, sent.at(BigInteger.TWO).orElseThrow().purpose());
  }

  @Test
  void minedNoncesAreForgottenAndMemoryIsBounded() {
    SentTransactions sent = new SentTransactions();
    for (int n = 0; n < SentTransactions.MAX_NONCES + 10; n++) {
      sent.broadcast(BigInteger.valueOf(n), DEPOSIT, "0x" + n, T0);
    }
    assertEquals(SentTransactions.MAX_NONCES, sent.size(), "the lowest are forgotten first");
    assertTrue(sent.at(BigInteger.valueOf(9)).isEmpty());
    sent.minedBelow(BigInteger.valueOf(SentTransactions.MAX_NONCES));
    assertEquals(10, sent.size());
    assertEquals(BigInteger.valueOf(SentTransactions.MAX_NONCES), sent.all().getFirst().nonce());
  }

  @Test
  void aWaitingPayersTransactionIsReplacedWithinAThirdOfItsWait() {
    Duration claims = Duration.ofMinutes(3);
    assertEquals(Duration.ofSeconds(20), StuckTransactionReplacer.withinWait(claims, Duration.ofSeconds(60)),
        "the default 60 s deposit wait leaves room for two bumps");
    assertEquals(Duration.ofSeconds(5), StuckTransactionReplacer.withinWait(Duration.ofSeconds(5),
        Duration.ofSeconds(60)), "a shorter configured wait is kept");
    assertEquals(claims, StuckTransactionReplacer.withinWait(claims, Duration.ZERO), "no wait: the configured one");
  }
}
