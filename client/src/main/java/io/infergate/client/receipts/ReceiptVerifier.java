package io.infergate.client.receipts;

import io.infergate.client.ClientException;
import io.infergate.client.store.ReceiptLog;
import io.infergate.client.store.StoredCall;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.InvalidSignatureException;
import io.infergate.x402.receipt.Equivocation;
import io.infergate.x402.receipt.InferenceReceipt;
import io.infergate.x402.receipt.ReceiptMerkleTree;
import io.infergate.x402.receipt.ReceiptProof;
import io.infergate.x402.receipt.SignedReceipt;
import io.infergate.x402.crypto.Bytes32;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies an inference receipt step by step, as sdk-docs/protocol.md specifies ("Verifying a receipt"):
 *
 * <ol>
 *   <li>{@code signature}: the EIP-712 signature is well formed and recovers to a key;
 *   <li>{@code domain}: the receipt's domain names this chain and the trusted {@code ReceiptAnchor};
 *   <li>{@code registry}: that key was the service's {@code receiptSigner} in the {@code ServiceRegistry} at
 *       {@code issuedAt}, and the service was not retired then (replayed from the registry's events);
 *   <li>{@code plugin}: the receipt's {@code pluginCid} is the one registered at {@code issuedAt};
 *   <li>{@code hashes}: request and response hashes match the call as this client stored it;
 *   <li>{@code inclusion}: the Merkle proof leads to the root committed on chain for the signer's stream
 *       ({@code commitmentFor(provider, signer, seq)}), and the contract's {@code verifyReceipt} agrees; not yet
 *       anchored is {@link CheckStatus#PENDING};
 *   <li>{@code reexecution} (when asked): the stored request re-run locally gives the same response hash;
 *   <li>{@code equivocation}: no other stored receipt of the signer for the same request, code, weights and
 *       runtime profile has a different response hash.
 * </ol>
 *
 * <pre>{@code
 * try (ReceiptChain chain = ReceiptChain.connect(rpcUrl, anchor)) {
 *   ReceiptVerifier verifier = ReceiptVerifier.builder(chain).log(store.receipts()).node(nodeUrl).build();
 *   VerificationReport report = verifier.verify(receipt, VerifyOptions.defaults());
 * }
 * }</pre>
 */
public final class ReceiptVerifier {
  private final ReceiptChain chain;
  private final ReceiptLog log;
  private final URI node;
  private final HttpClient http;
  private final Reexecutor reexecutor;

  private ReceiptVerifier(Builder b) {
    this.chain = Objects.requireNonNull(b.chain, "chain");
    this.log = b.log;
    this.node = b.node;
    this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.reexecutor = b.reexecutor;
  }

  /** A verifier that reads the chain through {@code chain} (whose anchor is the one trusted). */
  public static Builder builder(ReceiptChain chain) {
    return new Builder(chain);
  }

  /** Every check for {@code signed}; never throws for a bad receipt (that is a failed check). */
  public VerificationReport verify(SignedReceipt signed, VerifyOptions options) {
    InferenceReceipt r = signed.receipt();
    List<Check> checks = new ArrayList<>();
    Address signer = null;
    String unrecoverable = null;
    try {
      signer = signed.signer();
    } catch (InvalidSignatureException | IllegalArgumentException e) {
      unrecoverable = e.getMessage();
    }
    Registered registered = signer == null ? new Registered(List.of(
        Check.skipped("registry", "no signer: the signature does not recover"),
        Check.skipped("plugin", "no signer: the signature does not recover")), null) : registry(r, signer);
    if (signer == null) {
      checks.add(Check.fail("signature", "does not recover to any key (" + unrecoverable + "): the receipt was"
          + " altered or never signed"));
    } else if (registered.entry() != null && registered.entry().active()
        && !registered.entry().receiptSigner().equals(signer)) {
      checks.add(Check.fail("signature", "recovers to " + signer.toChecksumString() + ", not to the service's"
          + " registered signer " + registered.entry().receiptSigner().toChecksumString() + ": the receipt was altered"
          + " after signing, or another key signed it"));
    } else {
      checks.add(Check.pass("signature", "well formed (low s, v 27/28), recovers to " + signer.toChecksumString()));
    }
    checks.add(domain(signed));
    StoredCall call = log == null ? null : log.byReceiptId(signed.id()).orElse(null);
    checks.addAll(registered.checks());
    checks.add(hashes(signed, call));
    checks.add(signer == null ? Check.skipped("inclusion", "no signer: the signature does not recover")
        : inclusion(signed, signer, options.proof()));
    if (options.reexecute()) {
      checks.add(reexecution(signed, call));
    }
    checks.add(equivocation(signed));
    return new VerificationReport(signed.id(), checks);
  }

  private Check domain(SignedReceipt signed) {
    long chainId = signed.domain().chainId();
    Address anchor = signed.domain().verifyingContract();
    if (chainId != chain.chainId()) {
      return Check.fail("domain", "the receipt is for chain " + chainId + " but the verifier reads chain "
          + chain.chainId() + "; pass the --rpc of chain " + chainId);
    }
    if (!anchor.equals(chain.anchor())) {
      return Check.fail("domain", "the receipt's verifying contract is " + anchor.toChecksumString()
          + " but the trusted ReceiptAnchor is " + chain.anchor().toChecksumString()
          + "; a receipt under another anchor is not backed by this registry");
    }
    return Check.pass("domain", "chain " + chainId + ", ReceiptAnchor " + anchor.toChecksumString());
  }

  /** The registry's checks, and the entry in force at issuedAt (null when none). */
  private record Registered(List<Check> checks, RegistryHistory.Entry entry) {}

  private Registered registry(InferenceReceipt r, Address signer) {
    RegistryHistory h;
    try {
      h = chain.history(r.provider(), r.service());
    } catch (ClientException e) {
      return new Registered(List.of(Check.fail("registry", e.getMessage()),
          Check.skipped("plugin", "registry unreadable")), null);
    }
    String when = "issuedAt " + r.issuedAt() + " (" + Instant.ofEpochSecond(r.issuedAt()) + ")";
    String what = "service '" + r.service() + "' of provider " + r.provider().toChecksumString();
    Optional<RegistryHistory.Entry> at = h.at(r.issuedAt());
    if (at.isEmpty()) {
      return new Registered(List.of(Check.fail("registry", what + " was not registered at " + when
          + (h.entries().isEmpty() ? " (it never was, in the registry " + chain.registry().toChecksumString() + ")"
          : " (first registered at " + h.entries().getFirst().timestamp() + ")")),
          Check.skipped("plugin", "no registration at issuedAt")), null);
    }
    RegistryHistory.Entry e = at.get();
    Check reg;
    if (!e.active()) {
      reg = Check.fail("registry", what + " was retired at " + e.timestamp() + " (tx " + e.transaction() + "), before "
          + when + ": its signer was no longer authorized");
    } else if (!e.receiptSigner().equals(signer)) {
      reg = Check.fail("registry", "at " + when + " the registry named " + e.receiptSigner().toChecksumString()
          + " as the receipt signer of " + what + ", but the receipt is signed by " + signer.toChecksumString());
    } else {
      reg = Check.pass("registry", signer.toChecksumString() + " was the receipt signer of " + what + " at " + when
          + " (" + e.kind().name().toLowerCase(java.util.Locale.ROOT) + " at " + e.timestamp() + ")");
    }
    Check plugin = e.pluginCid() == null ? Check.skipped("plugin", "no plugin in the registry entry")
        : e.pluginCid().equals(r.pluginCid()) ? Check.pass("plugin", "pluginCid " + r.pluginCid()
            + " is the one registered at issuedAt")
        : Check.fail("plugin", "the receipt names plugin " + r.pluginCid() + " but the registry listed "
            + e.pluginCid() + " for the service at " + when);
    return new Registered(List.of(reg, plugin), e);
  }

  private Check hashes(SignedReceipt signed, StoredCall call) {
    if (call == null) {
      return Check.skipped("hashes", log == null ? "no receipt log given: the call is unknown here"
          : "the call is not in this client's store (only the consumer who made it can check its hashes)");
    }
    InferenceReceipt r = signed.receipt();
    List<String> bad = new ArrayList<>();
    if (!r.requestHash().equals(call.requestHash())) {
      bad.add("requestHash " + r.requestHash() + " but the stored request hashes to " + call.requestHash());
    }
    if (!r.responseHash().equals(call.responseHash())) {
      bad.add("responseHash " + r.responseHash() + " but the stored response hashes to " + call.responseHash());
    }
    if (!r.channelId().equals(call.channelId())) {
      bad.add("channelId " + r.channelId() + " but the call was paid by " + call.channelId());
    }
    return bad.isEmpty() ? Check.pass("hashes", "request and response match call #" + call.callId() + " to "
        + call.path()) : Check.fail("hashes", String.join("; ", bad));
  }

  private Check inclusion(SignedReceipt signed, Address signer, ReceiptProof given) {
    InferenceReceipt r = signed.receipt();
    Optional<ReceiptChain.Commitment> c;
    try {
      c = chain.commitmentFor(r.provider(), signer, r.seq());
    } catch (ClientException e) {
      return Check.fail("inclusion", e.getMessage());
    }
    if (c.isEmpty()) {
      long last = chain.lastCommittedSeq(r.provider(), signer);
      if (last < r.seq()) {
        return Check.pending("inclusion", "not anchored yet: the signer's last committed seq is "
            + (last < 0 ? "none" : last) + " and this receipt is seq " + r.seq() + "; verify again later");
      }
      return Check.fail("inclusion", "seq " + r.seq() + " lies in no committed range although the stream is"
          + " committed up to seq " + last + ": the node skipped it when anchoring");
    }
    ReceiptChain.Commitment com = c.get();
    ReceiptProof proof = given;
    if (proof == null) {
      if (node == null) {
        return Check.skipped("inclusion", "anchored in commitment #" + com.index() + " (seq " + com.firstSeq() + ".."
            + com.lastSeq() + ") but no proof: give the node (--node) or a proof file (--proof)");
      }
      ProofSource.Fetched f = ProofSource.fromNode(http, node, signed.id());
      if (f.proof() == null && f.notYet()) {
        return Check.pending("inclusion", "the root covering seq " + r.seq() + " is on chain (commitment #"
            + com.index() + ") but the node has not confirmed it yet: " + f.missing() + "; verify again later");
      }
      if (f.proof() == null) {
        return Check.fail("inclusion", "the root covering seq " + r.seq() + " is on chain (commitment #" + com.index()
            + ") but the node gives no proof: " + f.missing());
      }
      proof = f.proof();
    }
    List<String> bad = new ArrayList<>();
    if (!proof.receiptId().equalsIgnoreCase(signed.id())) {
      bad.add("the proof is for receipt " + proof.receiptId());
    }
    if (proof.seq() != r.seq()) {
      bad.add("the proof is for seq " + proof.seq() + ", the receipt is seq " + r.seq());
    }
    Bytes32 computed = ReceiptMerkleTree.computeRoot(signed.digest(), proof.proof());
    if (!computed.equals(com.root())) {
      bad.add("the proof leads to root " + computed + " but the root on chain for seq " + com.firstSeq() + ".."
          + com.lastSeq() + " is " + com.root());
    }
    if (!proof.root().equals(com.root())) {
      bad.add("the proof names root " + proof.root() + ", not the one on chain");
    }
    boolean contract = chain.verifyReceipt(r.provider(), signer, r.seq(), signed.digest(), proof.proof());
    if (!contract && bad.isEmpty()) {
      bad.add("ReceiptAnchor.verifyReceipt answered false");
    }
    if (!bad.isEmpty()) {
      return Check.fail("inclusion", String.join("; ", bad));
    }
    return Check.pass("inclusion", "in root " + com.root() + " committed on chain at " + com.committedAt()
        + " for seq " + com.firstSeq() + ".." + com.lastSeq() + "; ReceiptAnchor.verifyReceipt agrees");
  }

  private Check reexecution(SignedReceipt signed, StoredCall call) {
    if (call == null) {
      return Check.skipped("reexecution", "the request is not in this client's store, so it cannot be re-run");
    }
    if (reexecutor == null) {
      return Check.skipped("reexecution", "no re-executor configured");
    }
    try {
      return reexecutor.reexecute(signed, call);
    } catch (ClientException e) {
      return Check.fail("reexecution", e.getMessage());
    }
  }

  private Check equivocation(SignedReceipt signed) {
    if (log == null) {
      return Check.skipped("equivocation", "no receipt log to compare with");
    }
    for (StoredCall other : log.all()) {
      if (other.receipt() == null || other.receipt().equals(signed)) {
        continue;
      }
      Optional<Equivocation> e = Equivocation.between(signed, other.receipt());
      if (e.isPresent()) {
        return Check.fail("equivocation", "PROOF OF MISBEHAVIOUR: " + e.get().signer().toChecksumString()
            + " signed receipts " + signed.id() + " and " + other.receipt().id() + " for the same request, plugin,"
            + " models and runtime profile with different responses (" + signed.receipt().responseHash() + " vs "
            + other.receipt().receipt().responseHash() + ")");
      }
    }
    return Check.pass("equivocation", "no conflicting receipt among the " + log.all().size() + " stored calls");
  }

  /** Configures a {@link ReceiptVerifier}. */
  public static final class Builder {
    private final ReceiptChain chain;
    private ReceiptLog log;
    private URI node;
    private HttpClient http;
    private Reexecutor reexecutor;

    private Builder(ReceiptChain chain) {
      this.chain = chain;
    }

    /** The consumer's receipt log: enables the hash, re-execution and equivocation checks. */
    public Builder log(ReceiptLog receipts) {
      this.log = receipts;
      return this;
    }

    /** The node to fetch proofs from ({@code GET /v1/receipts/{id}/proof}). */
    public Builder node(URI nodeUrl) {
      this.node = nodeUrl;
      return this;
    }

    public Builder httpClient(HttpClient client) {
      this.http = client;
      return this;
    }

    /** What re-runs a call for {@link VerifyOptions#reexecute()}. */
    public Builder reexecutor(Reexecutor r) {
      this.reexecutor = r;
      return this;
    }

    public ReceiptVerifier build() {
      return new ReceiptVerifier(this);
    }
  }
}
