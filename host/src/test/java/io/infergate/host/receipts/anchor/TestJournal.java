package io.infergate.host.receipts.anchor;

import io.infergate.host.models.RuntimeProfile;
import io.infergate.host.payments.ledger.ChannelConfig;
import io.infergate.host.payments.ledger.ChannelLease;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.payments.ledger.ChargeResult;
import io.infergate.host.receipts.ReceiptIssuer;
import io.infergate.host.receipts.ReceiptJournal;
import io.infergate.host.receipts.ReceiptLog;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.receipt.InferenceReceipt;
import io.infergate.x402.receipt.SignedReceipt;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The node's real receipt journal ({@link ReceiptJournal} in a real SQLite or PostgreSQL ledger), filled the way
 * a paid call fills it: a charge committed with its receipt hook, signed by the receipt key, gapless seq.
 */
final class TestJournal implements AutoCloseable {
  private static final ReceiptIssuer.ServiceFacts FACTS = new ReceiptIssuer.ServiceFacts("text-embedding",
      "bafy-plugin", InferenceReceipt.modelSetHash(List.of("bafy-model")),
      RuntimeProfile.of(Map.of("onnxruntime", "1.23.2", "executionProvider", "cpu")));
  private static final String CHANNEL = "0x" + "00".repeat(31) + "07";

  private final ChannelLedger ledger;
  private final ReceiptJournal journal;
  private final ReceiptIssuer issuer;
  private long calls;

  TestJournal(ChannelLedger ledger, PrivateKey key, long chainId, Address anchor, Address provider) {
    this.ledger = ledger;
    this.journal = ReceiptJournal.open(ledger);
    this.issuer = new ReceiptIssuer(journal, new ReceiptIssuer.Signer(key, InferenceReceipt.domain(chainId, anchor),
        provider), Clock.systemUTC());
    ledger.upsertChannel(CHANNEL, new ChannelConfig("0x1111111111111111111111111111111111111111",
        "0x2222222222222222222222222222222222222222", "0x3333333333333333333333333333333333333333",
        "0x4444444444444444444444444444444444444444", "0x00000000000000000000000000000000000000aa", 900,
        "0x" + "00".repeat(31) + "01"));
    ledger.applyChainState(CHANNEL, BigInteger.valueOf(1_000_000_000_000L), BigInteger.ZERO, 0, BigInteger.ZERO, 1);
  }

  ReceiptLog log() {
    return journal;
  }

  /** {@code count} paid calls of 1000 each, each charge committed with its receipt; the receipts in order. */
  List<SignedReceipt> issue(int count) {
    List<SignedReceipt> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ChannelLease lease = ledger.acquire(CHANNEL, "test-gate", Duration.ofSeconds(30));
      ChannelState s = ledger.get(CHANNEL).orElseThrow();
      BigInteger next = s.chargedCumulativeAmount().add(BigInteger.valueOf(1000));
      long n = calls++;
      ReceiptIssuer.Pending p = issuer.pending(new ReceiptIssuer.Draft(FACTS,
          Bytes32.keccak(("request " + n).getBytes()), Bytes32.keccak(("response " + n).getBytes()), next));
      byte[] sig = new byte[65];
      sig[64] = 27;
      ChargeResult r = ledger.recordChargeAndRelease(lease, s.version(), next, next, sig, p);
      if (!r.committed()) {
        ledger.release(lease);
        throw new AssertionError("charge refused: " + r);
      }
      out.add(p.receipt().orElseThrow().receipt());
    }
    return out;
  }

  @Override
  public void close() {
    ledger.close();
  }
}
