package io.infergate.client.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.client.channel.ChannelTerms;
import io.infergate.client.store.ChannelStore;
import io.infergate.client.store.StoredCall;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.receipt.InferenceReceipt;
import io.infergate.x402.receipt.RequestHash;
import io.infergate.x402.receipt.SignedReceipt;
import io.infergate.x402.wire.ChannelState;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReceiptAudit} over a real SQLite receipt log: an honest log passes; a gap, an overcharge, a charge
 * without a receipt, a seq going backwards and an equivocation each fail with a reason. The log survives reopening.
 */
class ReceiptAuditTest {
  static final long CHAIN = 31337;
  static final Address CONTRACT = Address.parse("0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003");
  static final Address ANCHOR = PrivateKey.random().address();
  static final BigInteger PRICE = BigInteger.valueOf(1000);

  @TempDir Path dir;
  ChannelStore store;
  final PrivateKey payer = PrivateKey.random();
  final PrivateKey signer = PrivateKey.random();
  final Address provider = PrivateKey.random().address();
  Bytes32 channel;
  long seq;

  @BeforeEach
  void open() {
    store = ChannelStore.open(dir.resolve("client.db"));
    ChannelTerms terms = new ChannelTerms("eip155:" + CHAIN, provider, PrivateKey.random().address(),
        PrivateKey.random().address(), 86400);
    ChannelConfig config = terms.config(payer.address(), payer.address(), 0);
    channel = BatchSettlementTypedData.channelId(Eip712Domain.batchSettlement(CHAIN, CONTRACT), config);
    store.create(channel, config, CHAIN, CONTRACT, 0);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Records a call the way PaidHttpClient does: hashes of what was sent/received, figures, the receipt. */
  StoredCall call(String text, String response, BigInteger charged, BigInteger cumulative, BigInteger voucher,
      boolean withReceipt, long receiptSeq) {
    byte[] body = ("{\"texts\":[\"" + text + "\"]}").getBytes();
    Bytes32 req = RequestHash.of("text-embedding", "/v1/services/text-embedding", 0, body);
    Bytes32 resp = Bytes32.keccak(response.getBytes());
    SignedReceipt r = null;
    if (withReceipt) {
      r = SignedReceipt.sign(new InferenceReceipt(req, resp, provider, "text-embedding", "bafyplugin",
          InferenceReceipt.modelSetHash(List.of("bafymodel")), Bytes32.keccak("profile".getBytes()), channel, voucher,
          charged, cumulative, receiptSeq, 1_700_000_000L), InferenceReceipt.domain(CHAIN, ANCHOR), signer);
    }
    StoredCall c = store.receipts().record(new StoredCall(0, channel, "http://node/v1/services/text-embedding",
        "/v1/services/text-embedding", "text-embedding", 0, body, req, resp, voucher, charged, cumulative, r, null, 0));
    store.recordAcknowledged(channel, cumulative, new ChannelState(channel, BigInteger.valueOf(1_000_000),
        BigInteger.ZERO, 0, BigInteger.ZERO, cumulative));
    return c;
  }

  StoredCall honest(int i) {
    BigInteger cumulative = PRICE.multiply(BigInteger.valueOf(i));
    return call("call " + i, "answer " + i, PRICE, cumulative, cumulative, true, seq++);
  }

  AuditReport audit() {
    return ReceiptAudit.of(store).run(Optional.empty());
  }

  static CheckStatus status(AuditReport report, String check) {
    return report.all().stream().filter(c -> c.name().equals(check)).map(Check::status)
        .reduce((a, b) -> a == CheckStatus.FAIL ? a : b).orElseThrow();
  }

  @Test
  void anHonestLogPassesAndSurvivesReopening() {
    for (int i = 1; i <= 5; i++) {
      honest(i);
    }
    AuditReport report = audit();
    assertTrue(report.ok(), report.toText());
    assertEquals(0, report.exitCode());
    store.close();
    store = ChannelStore.open(dir.resolve("client.db"));
    assertEquals(5, store.receipts().forChannel(channel).size());
    StoredCall first = store.receipts().all().getFirst();
    assertEquals(first.receipt().id(), store.receipts().byReceiptId(first.receipt().id().toUpperCase()
        .replace("0X", "0x")).orElseThrow().receipt().id());
    assertTrue(audit().ok(), audit().toText());
  }

  @Test
  void aGapBetweenReceiptsIsCaught() {
    honest(1);
    // the node acknowledges 3000 after 1000 but this receipt charges only 1000: 1000 charged without a receipt
    call("call 2", "answer 2", PRICE, PRICE.multiply(BigInteger.valueOf(3)), PRICE.multiply(BigInteger.valueOf(3)),
        true, seq++);
    AuditReport report = audit();
    assertEquals(CheckStatus.FAIL, status(report, "chain"), report.toText());
    assertTrue(report.toText().contains("1000 charged without a receipt"), report.toText());
    assertEquals(1, report.exitCode());
  }

  @Test
  void anOverchargeAboveTheVoucherIsCaught() {
    honest(1);
    // voucher 1500, yet the receipt's total is 2000 (charge 1000 on top of 1000)
    call("call 2", "answer 2", PRICE, BigInteger.valueOf(2000), BigInteger.valueOf(1500), true, seq++);
    AuditReport report = audit();
    assertEquals(CheckStatus.FAIL, status(report, "vouchers"), report.toText());
    assertTrue(report.toText().contains("overcharged by 500"), report.toText());
  }

  @Test
  void aChargeWithoutAReceiptIsCaught() {
    honest(1);
    call("call 2", "answer 2", PRICE, PRICE.multiply(BigInteger.TWO), PRICE.multiply(BigInteger.TWO), false, 0);
    honest(3);
    AuditReport report = audit();
    assertEquals(CheckStatus.FAIL, status(report, "receipts"), report.toText());
    assertEquals(CheckStatus.FAIL, status(report, "chain"), report.toText());
    assertTrue(report.toText().contains("without a receipt"), report.toText());
  }

  @Test
  void aTotalAboveTheReceiptsIsCaught() {
    honest(1);
    honest(2);
    store.recordAcknowledged(channel, BigInteger.valueOf(2500), new ChannelState(channel, BigInteger.valueOf(1_000_000),
        BigInteger.ZERO, 0, BigInteger.ZERO, BigInteger.valueOf(2500)));
    AuditReport report = audit();
    assertEquals(CheckStatus.FAIL, status(report, "total"), report.toText());
    assertTrue(report.toText().contains("500 acknowledged without a receipt"), report.toText());
  }

  @Test
  void aSeqGoingBackwardsIsCaught() {
    honest(1);
    honest(2);
    seq = 1; // the node reuses seq 1
    honest(3);
    AuditReport report = audit();
    assertEquals(CheckStatus.FAIL, status(report, "seq"), report.toText());
  }

  @Test
  void anEquivocationIsReportedAsProofOfMisbehaviour() {
    honest(1);
    // the same request answered differently under the same plugin, models and runtime profile
    call("call 1", "a different answer", PRICE, PRICE.multiply(BigInteger.TWO), PRICE.multiply(BigInteger.TWO), true,
        seq++);
    AuditReport report = audit();
    assertEquals(CheckStatus.FAIL, status(report, "equivocation"), report.toText());
    assertTrue(report.toText().contains("PROOF OF MISBEHAVIOUR"), report.toText());
    assertTrue(status(report, "chain") == CheckStatus.PASS, "the charges themselves add up: " + report.toText());
  }

  @Test
  void theCliAuditFailsWithExitCode1AndSaysWhy() throws Exception {
    honest(1);
    call("call 2", "answer 2", PRICE, PRICE.multiply(BigInteger.valueOf(3)), PRICE.multiply(BigInteger.valueOf(3)),
        true, seq++);
    store.close();
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = io.infergate.client.cli.ClientCommand.run(java.util.Map.of(), new java.io.PrintWriter(out),
        new java.io.PrintWriter(err), "audit", "--store", dir.resolve("client.db").toString(), "--json",
        "--node-json", dir.resolve("none.json").toString());
    assertEquals(1, code, out + " " + err);
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
    assertEquals("failed", json.path("verdict").asText());
    assertEquals(channel.toString(), json.path("channels").path(0).path("channelId").asText());
    assertTrue(out.toString().contains("charged without a receipt"), out.toString());
    store = ChannelStore.open(dir.resolve("client.db"));
  }

  @Test
  void aStoreWrittenBeforeReceiptsExistedOpensAndGainsTheLog() throws Exception {
    Path old = dir.resolve("old.db");
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + old); var st = c.createStatement()) {
      st.execute("CREATE TABLE channels (channel_id TEXT PRIMARY KEY, chain_id INTEGER NOT NULL,"
          + " contract TEXT NOT NULL, payer TEXT NOT NULL, payer_authorizer TEXT NOT NULL, receiver TEXT NOT NULL,"
          + " receiver_authorizer TEXT NOT NULL, token TEXT NOT NULL, withdraw_delay INTEGER NOT NULL,"
          + " salt TEXT NOT NULL, salt_index INTEGER NOT NULL, key_id TEXT NOT NULL, signed_max TEXT NOT NULL,"
          + " signature TEXT, charged TEXT NOT NULL, balance TEXT, total_claimed TEXT,"
          + " withdraw_requested_at INTEGER, refund_nonce TEXT, quarantine_reason TEXT)");
    }
    try (ChannelStore s = ChannelStore.open(old)) {
      assertTrue(s.receipts().all().isEmpty());
      assertTrue(ReceiptAudit.of(s).run(Optional.empty()).ok());
    }
  }
}
