package io.infergate.host.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.infergate.host.fixtures.ManualClock;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.offerreceipt.OfferReceipt;
import io.infergate.x402.receipt.InferenceReceipt;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The x402 offer-receipt receipt a paid answer carries is signed once per payer, resource and second. */
class X402ReceiptReuseTest {
  private static final String NETWORK = "eip155:31337";
  private static final String URL = "http://127.0.0.1:8080/v1/services/text-embedding";
  private static final String PAYER = "0x1111111111111111111111111111111111111111";

  @TempDir
  Path dir;

  @Test
  void withinOneSecondTheKeptReceiptIsByteForByteWhatSigningAgainGives() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-30T04:00:00.100Z"));
    PrivateKey key = PrivateKey.random();
    try (SqliteChannelLedger ledger = SqliteChannelLedger.open(dir.resolve("ledger.db"), clock)) {
      ReceiptIssuer issuer = new ReceiptIssuer(ReceiptJournal.open(ledger), new ReceiptIssuer.Signer(key,
          InferenceReceipt.domain(31337, Address.parse("0x5FbDB2315678afecb367f032d93F642f64180aa3")),
          key.address()), clock);
      String first = issuer.x402ReceiptExtensionJson(NETWORK, URL, PAYER);
      clock.advance(Duration.ofMillis(850));
      String kept = issuer.x402ReceiptExtensionJson(NETWORK, URL, PAYER);
      assertEquals(first, kept);
      assertEquals(signed(clock, key), kept, "RFC 6979 signing is deterministic: signing again gives the same bytes");

      String otherPayer = issuer.x402ReceiptExtensionJson(NETWORK, URL, "0x2222222222222222222222222222222222222222");
      assertNotEquals(kept, otherPayer);

      clock.advance(Duration.ofMillis(100));     // the next second
      String next = issuer.x402ReceiptExtensionJson(NETWORK, URL, PAYER);
      assertNotEquals(kept, next);
      assertEquals(signed(clock, key), next);
    }
  }

  /** The offer-receipt extension as PAYMENT-RESPONSE carries it, signed afresh for the clock's second. */
  private static String signed(ManualClock clock, PrivateKey key) {
    return OfferReceipt.receiptExtension(OfferReceipt.signReceipt(NETWORK, URL, PAYER, clock.instant().getEpochSecond(),
        "", key)).toString();
  }
}
