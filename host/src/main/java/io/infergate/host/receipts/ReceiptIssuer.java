package io.infergate.host.receipts;

import io.infergate.host.config.HostConfig;
import io.infergate.host.models.OrtRuntime;
import io.infergate.host.models.RuntimeProfile;
import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.payments.ledger.ChargeHook;
import io.infergate.host.plugins.LoadedService;
import io.infergate.plugin.api.ModelInfo;
import io.infergate.plugin.api.ModelRef;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.offerreceipt.OfferReceipt;
import io.infergate.x402.receipt.InferenceReceipt;
import io.infergate.x402.receipt.SignedReceipt;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues the receipt of each paid call inside its charge's transaction: {@link #pending} gives the ledger a
 * {@link ChargeHook} that allocates the signer's next {@code seq}, builds the {@link InferenceReceipt} with the
 * committed {@code chargedCumulativeAmount}, signs it (libsecp256k1, about 25 µs) and inserts it. The hook runs
 * on the worker that commits the charge, never on an event loop. A crash before the commit loses neither a seq
 * nor a charge (neither happened); after it, both exist.
 */
public final class ReceiptIssuer {
  private final ReceiptJournal journal;
  private final Signer signer;
  private final Clock clock;
  private final Set<Bytes32> storedProfiles = ConcurrentHashMap.newKeySet();

  /** The receipt key, the domain it signs under and the provider it names. */
  public record Signer(PrivateKey key, Eip712Domain domain, Address provider) {
    public Address address() {
      return key.address();
    }

    SignedReceipt sign(InferenceReceipt r) {
      return SignedReceipt.sign(r, domain, key);
    }

    @Override
    public String toString() {
      return "Signer[" + key.address() + ", " + domain + ", provider " + provider + "]";
    }
  }

  /**
   * What a service's receipts say about it.
   *
   * @param modelCid {@link InferenceReceipt#modelSetHash} of the descriptor's model CIDs
   */
  public record ServiceFacts(String service, String pluginCid, Bytes32 modelCid, RuntimeProfile profile) {}

  /** One call's receipt before its seq is known. */
  public record Draft(ServiceFacts facts, Bytes32 requestHash, Bytes32 responseHash, BigInteger voucherMax) {}

  public ReceiptIssuer(ReceiptJournal journal, Signer signer, Clock clock) {
    this.journal = Objects.requireNonNull(journal, "journal");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The issuer configured by {@code receipts.*} on chain {@code chainId}. */
  public static ReceiptIssuer create(ReceiptJournal journal, HostConfig.Receipts config, long chainId) {
    return new ReceiptIssuer(journal, new Signer(config.signerKey(), InferenceReceipt.domain(chainId, config.anchor()),
        config.provider()), Clock.systemUTC());
  }

  public Signer signer() {
    return signer;
  }

  public ReceiptJournal journal() {
    return journal;
  }

  /**
   * {@link #facts} computed once per service and plugin: they cannot change while a plugin version is loaded
   * (its CID pins the descriptor, and the runtime settings are fixed for the node's life), so the paid-call
   * path does not rebuild the profile and model hashes on every call.
   */
  public static java.util.function.Function<LoadedService, ServiceFacts> factsOnce(OrtRuntime ort) {
    java.util.Map<String, ServiceFacts> known = new java.util.concurrent.ConcurrentHashMap<>();
    return s -> known.computeIfAbsent(s.pluginContentId() + "/" + s.name(), k -> facts(s, ort));
  }

  /** The facts of a loaded service: name, plugin CID, model set hash, runtime profile of its sessions. */
  public static ServiceFacts facts(LoadedService s, OrtRuntime ort) {
    return new ServiceFacts(s.name(), s.pluginContentId(),
        InferenceReceipt.modelSetHash(s.descriptor().models().stream().map(ModelRef::contentId).toList()),
        ort.runtimeProfile(s.modelInfos().stream().map(ModelInfo::executionProvider).toList()));
  }

  /**
   * The hook that issues {@code draft}'s receipt in the charge's transaction; after the charge committed,
   * {@link Pending#receipt()} holds it. Blocks (it may store the runtime profile once): call it on a worker.
   */
  public Pending pending(Draft draft) {
    RuntimeProfile profile = draft.facts().profile();
    if (!storedProfiles.contains(profile.hash())) {
      journal.storeProfile(profile);
      storedProfiles.add(profile.hash());
    }
    return new Pending(draft);
  }

  /**
   * The x402 {@code offer-receipt} receipt of a paid call (EIP-712, signed with the receipt key): {@code payer} paid
   * for {@code resourceUrl} on {@code network} and was served. Privacy-minimal: no transaction. Answered as the
   * serialized {@code PAYMENT-RESPONSE} extension ({@link OfferReceipt#receiptExtension}). Call it on a worker.
   *
   * <p>Its content is (network, resource, payer, issuedAt in seconds) only, and ECDSA signing is deterministic
   * (RFC 6979), so every call of one payer to one resource within one second gets the very same bytes: the signed
   * document is kept for the rest of its second instead of signed again on every call.
   */
  public String x402ReceiptExtensionJson(String network, String resourceUrl, String payer) {
    long second = clock.millis() / 1000;
    String key = network + "|" + resourceUrl + "|" + payer;
    SignedThisSecond kept = x402Receipts.get(key);
    if (kept == null || kept.second() != second) {
      if (x402Receipts.size() > 10_000) {
        x402Receipts.clear();     // many payers or URLs: start over rather than grow without bound
      }
      kept = new SignedThisSecond(OfferReceipt.receiptExtension(
          OfferReceipt.signReceipt(network, resourceUrl, payer, second, "", signer.key())).toString(), second);
      x402Receipts.put(key, kept);
    }
    return kept.extensionJson();
  }

  private record SignedThisSecond(String extensionJson, long second) {}

  private final java.util.concurrent.ConcurrentMap<String, SignedThisSecond> x402Receipts = new ConcurrentHashMap<>();

  /**
   * The x402 {@code offer-receipt} signed offer for {@code terms} at {@code resourceUrl}, valid for
   * {@code validSeconds}; a signature is reused while more than half of its validity is left (so a 402 rarely
   * signs). Blocking: call it on a worker.
   */
  public com.fasterxml.jackson.databind.node.ObjectNode signedOffer(String resourceUrl, OfferReceipt.Terms terms,
      int acceptIndex, long validSeconds) {
    long now = clock.millis() / 1000;
    String key = resourceUrl + "|" + acceptIndex + "|" + terms;
    CachedOffer c = offers.get(key);
    if (c == null || c.validUntil() - now < validSeconds / 2) {
      if (offers.size() > 10_000) {
        offers.clear();     // many distinct URLs (Host headers): start over rather than grow without bound
      }
      long until = now + validSeconds;
      c = new CachedOffer(OfferReceipt.signOffer(resourceUrl, terms, acceptIndex, until, signer.key()), until);
      offers.put(key, c);
    }
    return c.offer().deepCopy();
  }

  private record CachedOffer(com.fasterxml.jackson.databind.node.ObjectNode offer, long validUntil) {}

  private final java.util.concurrent.ConcurrentMap<String, CachedOffer> offers = new ConcurrentHashMap<>();

  /** The receipt hook of one call. */
  public final class Pending implements ChargeHook {
    private final Draft draft;
    private volatile SignedReceipt receipt;

    private Pending(Draft draft) {
      this.draft = draft;
    }

    @Override
    public void inTransaction(Connection c, ChannelState charged, BigInteger chargedAmount) throws SQLException {
      receipt = journal.append(c, signer, draft, Bytes32.parse(charged.channelId()), chargedAmount,
          charged.chargedCumulativeAmount(), clock.millis());
    }

    /** The receipt as served, once the charge committed; empty before (or if it did not). */
    public Optional<StoredReceipt> receipt() {
      SignedReceipt r = receipt;
      return r == null ? Optional.empty()
          : Optional.of(new StoredReceipt(r, Optional.of(draft.facts().profile().canonicalJson())));
    }
  }
}
