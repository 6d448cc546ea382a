package io.infergate.host.payments.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
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
}
