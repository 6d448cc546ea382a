package io.infergate.client.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.contracts.toolchain.Toolchain;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.receipt.InferenceReceipt;
import io.infergate.x402.receipt.ReceiptFormatException;
import io.infergate.x402.receipt.ReceiptProof;
import io.infergate.x402.receipt.SignedReceipt;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReceiptVerifier} against a real anvil with the real {@code ServiceRegistry} and {@code ReceiptAnchor}:
 * receipts signed with {@link SignedReceipt#sign}, roots committed by the registered signer, every verdict read
 * from the chain. Signatures are cross-checked with Foundry's {@code cast}, a verifier not written here.
 */
class ReceiptVerifierChainTest {
  static ReceiptChainFixture f;
  static ReceiptChain chain;
  static ReceiptVerifier verifier;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    f = new ReceiptChainFixture();
    chain = f.connect();
    verifier = ReceiptVerifier.builder(chain).build();
  }

  @AfterAll
  static void stop() {
    chain.close();
    f.close();
  }

  static BigInteger n(long v) {
    return BigInteger.valueOf(v);
  }

  @Test
  void anAnchoredReceiptPassesEveryChainCheckAndTheContractAgrees() throws Exception {
    var p = f.provider("text-embedding");
    p.register();
    long t = f.chainTime();
    List<SignedReceipt> rs = List.of(p.receipt(p.signer, t, n(1000)), p.receipt(p.signer, t, n(2000)),
        p.receipt(p.signer, t, n(3000)));
    VerificationReport before = verifier.verify(rs.get(1), VerifyOptions.defaults());
    assertEquals(CheckStatus.PENDING, before.status("inclusion"), before.toText());
    assertTrue(before.undecided(), "not yet anchored is not ok-complete: " + before.toText());
    assertEquals(3, before.exitCode());

    List<ReceiptProof> proofs = p.anchor(rs);
    for (int i = 0; i < rs.size(); i++) {
      VerificationReport report = verifier.verify(rs.get(i), VerifyOptions.defaults().withProof(proofs.get(i)));
      for (String check : List.of("signature", "domain", "registry", "plugin", "inclusion")) {
        assertEquals(CheckStatus.PASS, report.status(check), report.toText());
      }
      assertEquals(CheckStatus.SKIPPED, report.status("hashes"), "no receipt log here: " + report.toText());
      assertTrue(report.ok());
      assertEquals(0, report.exitCode());
    }
  }

  @Test
  void tamperedFieldsFailTheSignatureCheck() throws Exception {
    var p = f.provider("tamper");
    p.register();
    SignedReceipt good = p.receipt(p.signer, f.chainTime(), n(1000));
    InferenceReceipt r = good.receipt();
    InferenceReceipt cheaper = new InferenceReceipt(r.requestHash(), r.responseHash(), r.provider(), r.service(),
        r.pluginCid(), r.modelCid(), r.runtimeProfileHash(), r.channelId(), r.maxClaimableAmount(), n(1),
        r.chargedCumulativeAmount(), r.seq(), r.issuedAt());
    SignedReceipt tampered = SignedReceipt.of(cheaper, good.domain(), good.signature());
    VerificationReport report = verifier.verify(tampered, VerifyOptions.defaults());
    assertEquals(CheckStatus.FAIL, report.status("signature"), report.toText());
    assertTrue(report.check("signature").orElseThrow().reason().contains("altered"), report.toText());
    assertEquals(CheckStatus.FAIL, report.status("registry"));
    assertEquals(1, report.exitCode());
    assertEquals(CheckStatus.PASS, verifier.verify(good, VerifyOptions.defaults()).status("signature"));

    // the served form: an edited message no longer matches its id, and without the id it recovers elsewhere
    ObjectNode json = good.toJson();
    ((ObjectNode) json.get("message")).put("chargedAmount", "1");
    assertThrows(ReceiptFormatException.class, () -> SignedReceipt.fromJson(json));
    json.remove("id");
    assertEquals(CheckStatus.FAIL, verifier.verify(SignedReceipt.fromJson(json), VerifyOptions.defaults())
        .status("signature"));
  }

  @Test
  void aReceiptFromAnUnregisteredKeyFails() throws Exception {
    var p = f.provider("unregistered-key");
    p.register();
    SignedReceipt byStranger = p.receipt(PrivateKey.random(), f.chainTime(), n(1000));
    VerificationReport report = verifier.verify(byStranger, VerifyOptions.defaults());
    assertEquals(CheckStatus.FAIL, report.status("registry"), report.toText());
    assertTrue(report.check("registry").orElseThrow().reason().contains(p.signer.address().toChecksumString()));

    var never = f.provider("never-registered");
    VerificationReport none = verifier.verify(never.receipt(never.signer, f.chainTime(), n(1000)),
        VerifyOptions.defaults());
    assertEquals(CheckStatus.FAIL, none.status("registry"), none.toText());
    assertTrue(none.check("registry").orElseThrow().reason().contains("never"), none.toText());
  }

  @Test
  void aRetiredServicesKeyFailsAfterRetirementButNotBefore() throws Exception {
    var p = f.provider("retiring");
    long registeredAt = f.blockTime(p.register());
    f.chain.advanceTime(100);
    long retiredAt = f.blockTime(p.retire());
    assertTrue(retiredAt >= registeredAt + 100);
    SignedReceipt before = p.receipt(p.signer, registeredAt + 50, n(1000));
    SignedReceipt after = p.receipt(p.signer, retiredAt + 1, n(2000));
    assertEquals(CheckStatus.PASS, verifier.verify(before, VerifyOptions.defaults()).status("registry"));
    VerificationReport report = verifier.verify(after, VerifyOptions.defaults());
    assertEquals(CheckStatus.FAIL, report.status("registry"), report.toText());
    assertTrue(report.check("registry").orElseThrow().reason().contains("retired"), report.toText());
    SignedReceipt beforeRegistration = p.receipt(p.signer, registeredAt - 1, n(1000));
    assertEquals(CheckStatus.FAIL, verifier.verify(beforeRegistration, VerifyOptions.defaults()).status("registry"));
  }

  @Test
  void aRotatedSignerIsAuthorizedOnlyFromItsUpdate() throws Exception {
    var p = f.provider("rotating");
    long registeredAt = f.blockTime(p.register());
    f.chain.advanceTime(100);
    PrivateKey next = PrivateKey.random();
    long updatedAt = f.blockTime(p.updateSigner(next.address()));
    assertEquals(CheckStatus.PASS, verifier.verify(p.receipt(p.signer, registeredAt + 10, n(1)),
        VerifyOptions.defaults()).status("registry"));
    assertEquals(CheckStatus.FAIL, verifier.verify(p.receipt(p.signer, updatedAt + 10, n(1)),
        VerifyOptions.defaults()).status("registry"));
    assertEquals(CheckStatus.PASS, verifier.verify(p.receipt(next, updatedAt, n(1)),
        VerifyOptions.defaults()).status("registry"));
  }

  @Test
  void aProofForTheWrongRootFails() throws Exception {
    var p = f.provider("wrong-root");
    p.register();
    long t = f.chainTime();
    List<SignedReceipt> rs = List.of(p.receipt(p.signer, t, n(1000)), p.receipt(p.signer, t, n(2000)));
    List<ReceiptProof> proofs = p.anchor(rs);
    ReceiptProof good = proofs.get(0);
    // siblings of another tree, and a root hint that is not the chain's
    ReceiptProof forged = new ReceiptProof(good.receiptId(), good.seq(), good.provider(), good.signer(),
        List.of(io.infergate.x402.crypto.Bytes32.keccak("other".getBytes())), good.root(), good.firstSeq(),
        good.lastSeq(), good.commitmentIndex(), good.anchor(), good.chainId(), good.transaction(), good.blockNumber());
    VerificationReport report = verifier.verify(rs.get(0), VerifyOptions.defaults().withProof(forged));
    assertEquals(CheckStatus.FAIL, report.status("inclusion"), report.toText());
    assertTrue(report.check("inclusion").orElseThrow().reason().contains("root on chain"), report.toText());
    // a proof of the other receipt does not prove this one
    VerificationReport swapped = verifier.verify(rs.get(0), VerifyOptions.defaults().withProof(proofs.get(1)));
    assertEquals(CheckStatus.FAIL, swapped.status("inclusion"), swapped.toText());
    // and the right one, read from a file as the CLI does, passes
    Path file = dir.resolve("proof.json");
    Files.writeString(file, good.toJson().toString());
    assertEquals(CheckStatus.PASS, verifier.verify(rs.get(0), VerifyOptions.defaults()
        .withProof(ProofSource.fromFile(file))).status("inclusion"));
  }

  @Test
  void castRecoversTheSameSignerFromTheServedTypedData() throws Exception {
    var p = f.provider("cast-check");
    p.register();
    SignedReceipt good = p.receipt(p.signer, f.chainTime(), n(1000));
    assertEquals(0, cast(good, p.signer.address().toChecksumString()), "cast accepts the receipt's signature");
    assertNotEquals(0, cast(good, PrivateKey.random().address().toChecksumString()), "and rejects another signer");
    ObjectNode json = good.toJson();
    ((ObjectNode) json.get("message")).put("chargedAmount", "1");
    json.remove("id");
    assertNotEquals(0, cast(SignedReceipt.fromJson(json), p.signer.address().toChecksumString()),
        "cast rejects a tampered receipt too");
    assertFalse(verifier.verify(SignedReceipt.fromJson(json), VerifyOptions.defaults()).ok());
  }

  private int cast(SignedReceipt r, String address) throws Exception {
    ObjectNode doc = r.toJson();
    String signature = doc.get("signature").asText();
    doc.remove("id");
    doc.remove("signature");
    Path file = Files.createTempFile(dir, "receipt", ".json");
    Files.writeString(file, doc.toString());
    Process proc = new ProcessBuilder(Toolchain.locate().cast().toString(), "wallet", "verify", "--address", address,
        "--data", "--from-file", file.toString(), signature).redirectErrorStream(true).start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
    System.out.println("cast: " + out.strip());
    return proc.exitValue();
  }

  @Test
  void withTheConsumersLogHashesAreCheckedAndAnEquivocationIsProofOfMisbehaviour() throws Exception {
    var p = f.provider("equivocating");
    p.register();
    long t = f.chainTime();
    SignedReceipt answer = p.receipt(p.signer, t, n(1000));
    InferenceReceipt a = answer.receipt();
    SignedReceipt other = SignedReceipt.sign(new InferenceReceipt(a.requestHash(),
        io.infergate.x402.crypto.Bytes32.keccak("another answer".getBytes()), a.provider(), a.service(), a.pluginCid(),
        a.modelCid(), a.runtimeProfileHash(), a.channelId(), n(2000), n(1000), n(2000), a.seq() + 1, t), f.domain,
        p.signer);
    try (io.infergate.client.store.ChannelStore store = io.infergate.client.store.ChannelStore.open(
        dir.resolve("client.db"))) {
      store.receipts().record(stored(answer, a.responseHash()));
      ReceiptVerifier withLog = ReceiptVerifier.builder(chain).log(store.receipts()).build();
      VerificationReport clean = withLog.verify(answer, VerifyOptions.defaults());
      assertEquals(CheckStatus.PASS, clean.status("hashes"), clean.toText());
      assertEquals(CheckStatus.PASS, clean.status("equivocation"), clean.toText());

      store.receipts().record(stored(other, other.receipt().responseHash()));
      VerificationReport caught = withLog.verify(answer, VerifyOptions.defaults());
      assertEquals(CheckStatus.FAIL, caught.status("equivocation"), caught.toText());
      assertTrue(caught.check("equivocation").orElseThrow().reason().contains("PROOF OF MISBEHAVIOUR"));
      assertEquals(CheckStatus.PASS, caught.status("signature"), "both receipts are genuinely signed");

      // a stored call whose response differs from what the receipt attests fails the hash check
      SignedReceipt third = p.receipt(p.signer, t, n(3000));
      store.receipts().record(stored(third, io.infergate.x402.crypto.Bytes32.keccak("what I got".getBytes())));
      assertEquals(CheckStatus.FAIL, withLog.verify(third, VerifyOptions.defaults()).status("hashes"));
    }
  }

  private static io.infergate.client.store.StoredCall stored(SignedReceipt r, io.infergate.x402.crypto.Bytes32 got) {
    InferenceReceipt x = r.receipt();
    return new io.infergate.client.store.StoredCall(0, x.channelId(), "http://node/v1/services/" + x.service(),
        "/v1/services/" + x.service(), x.service(), 0, new byte[0], x.requestHash(), got, x.maxClaimableAmount(),
        x.chargedAmount(), x.chargedCumulativeAmount(), r, null, 0);
  }
}
