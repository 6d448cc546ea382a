package io.infergate.client.http;

import io.infergate.client.ClientException;
import io.infergate.client.NodeMisbehavedException;
import io.infergate.client.PaymentRefusedException;
import io.infergate.client.channel.ChainChannels;
import io.infergate.client.channel.ChannelRecord;
import io.infergate.client.channel.ChannelTerms;
import io.infergate.client.channel.DepositAuthorizations;
import io.infergate.client.channel.ResponseCheck;
import io.infergate.client.channel.VoucherSigner;
import io.infergate.client.store.ChannelStore;
import io.infergate.client.store.StoredCall;
import io.infergate.contracts.deploy.CanonicalX402Addresses;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.wire.BatchSettlementError;
import io.infergate.x402.wire.ChannelState;
import io.infergate.x402.wire.Deposit;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequired;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.SchemePayload;
import io.infergate.x402.wire.SettlementResponse;
import io.infergate.x402.wire.SignedVoucher;
import io.infergate.x402.wire.X402Codec;
import io.infergate.x402.wire.X402FormatException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Calls paid HTTP services and pays them through x402 {@code batch-settlement} channels.
 *
 * <pre>{@code
 * try (ChannelStore store = ChannelStore.open(Path.of("client.db"))) {
 *   PaidHttpClient client = PaidHttpClient.builder().payer(key).store(store).build();
 *   PaidResponse r = client.call(URI.create("http://127.0.0.1:8080/v1/services/text-embedding"),
 *       "{\"texts\":[\"hello\"]}");
 * }
 * }</pre>
 *
 * <p>Design notes. A call: (1) without a cached offer, send the request unpaid and read the 402's offer;
 * (2) pick the channel for the offer's terms (payTo, asset, receiverAuthorizer, withdrawDelay, network);
 * (3) the next voucher is {@code charged + offer.amount}, recorded durably in the store <em>before</em> it is
 * sent, and never below a voucher already signed (an unanswered voucher is re-sent, not re-signed lower);
 * (4) on success the {@code PAYMENT-RESPONSE} is checked ({@link ResponseCheck#settlement}) before anything
 * else, and a violation quarantines the channel ({@link NodeMisbehavedException}); (5) on a corrective 402
 * ({@code cumulative_amount_mismatch}) the server's claim is believed only when a voucher signed by our key backs
 * it ({@link ResponseCheck#correction}), then the call is retried once; (6) every charged call is recorded in the
 * store's {@link io.infergate.client.store.ReceiptLog} with its {@code Infergate-Receipt}, checked against the call
 * at once ({@link PaidResponse#receiptProblem()} says what does not match). Calls are serialised in one client
 * (the node serves one call per channel at a time).
 */
public final class PaidHttpClient {
  /** Channels per terms the client rebuilds in {@link #recover} before it stops at the first unused one. */
  static final int MAX_RECOVER_INDEX = 32;

  private final HttpClient http;
  private final ChannelStore store;
  private final PrivateKey payer;
  private final PrivateKey voucherKey;
  private final Address batchSettlement;
  private final Address erc3009Collector;
  private final ChainChannels chain;
  private final Map<URI, PaymentRequirements> offers = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();

  private PaidHttpClient(Builder b) {
    this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.store = Objects.requireNonNull(b.store, "store");
    this.payer = Objects.requireNonNull(b.payer, "payer");
    this.voucherKey = b.voucherKey != null ? b.voucherKey : b.payer;
    this.batchSettlement = b.batchSettlement;
    this.erc3009Collector = b.erc3009Collector;
    this.chain = b.chain;
  }

  public static Builder builder() {
    return new Builder();
  }

  public ChannelStore store() {
    return store;
  }

  /** POSTs a JSON body and pays for it if the route asks. */
  public PaidResponse call(URI url, String json) {
    return call(url, json.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
  }

  /**
   * POSTs {@code body} (GET when null) and pays for it if the route answers 402.
   *
   * @throws NodeMisbehavedException when the node's answer breaks the payment rules (the channel is quarantined)
   * @throws PaymentRefusedException when the node refuses the payment
   * @throws ClientException when no channel can pay (deposit first) or the node cannot be reached
   */
  public PaidResponse call(URI url, byte[] body, Map<String, String> headers) {
    PaymentRequirements offer = offers.get(url);
    if (offer == null) {
      HttpResponse<byte[]> r = send(url, body, headers, null);
      if (r.statusCode() != 402) {
        return new PaidResponse(r.statusCode(), r.headers(), r.body(), null, null);
      }
      offer = offerOf(r, url);
    }
    return pay(url, body, headers, offer, null);
  }

  /**
   * Pays for a call with a {@code deposit} payload: the node, as facilitator, submits the ERC-3009 deposit of
   * {@code amount} on chain, then serves the call from the channel. Opens a channel when none exists.
   */
  public PaidResponse deposit(URI url, byte[] body, Map<String, String> headers, BigInteger amount) {
    if (amount.signum() <= 0) {
      throw new ClientException("a deposit must be a positive amount of the token's smallest unit, got " + amount);
    }
    return pay(url, body, headers, offer(url), amount);
  }

  /** The route's offer, from an unpaid request (cached for later calls). */
  public PaymentRequirements offer(URI url) {
    PaymentRequirements cached = offers.get(url);
    if (cached != null) {
      return cached;
    }
    HttpResponse<byte[]> r = send(url, "{}".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"), null);
    if (r.statusCode() != 402) {
      throw new ClientException(url + " answered " + r.statusCode() + " without payment: it is not a paid route");
    }
    return offerOf(r, url);
  }

  /** The usable channel for {@code offer}'s terms, opening (recording) a new one when there is none. */
  public ChannelRecord openChannel(PaymentRequirements offer) {
    lock.lock();
    try {
      return channelFor(offer, true);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Rebuilds the store's view of this client's channels for {@code url}'s terms from the node and, when a chain
   * is configured, from {@code channels(id)}: channel ids come from the derived salts, the charged amount from
   * the node's corrective 402, believed only with a voucher signed by our key. The probe is a voucher of 0,
   * which authorizes nothing.
   *
   * @return the channels found
   */
  public List<ChannelRecord> recover(URI url) {
    PaymentRequirements offer = offer(url);
    ChannelTerms terms = ChannelTerms.of(offer);
    Eip712Domain domain = Eip712Domain.batchSettlement(terms.chainId(), batchSettlement);
    VoucherSigner signer = VoucherSigner.create(voucherKey, domain);
    lock.lock();
    try {
      for (int index = 0; index < MAX_RECOVER_INDEX; index++) {
        ChannelConfig config = terms.config(payer.address(), voucherKey.address(), index);
        Bytes32 id = BatchSettlementTypedData.channelId(domain, config);
        if (!recoverOne(url, offer, config, id, index, signer)) {
          break;
        }
      }
      return store.onTerms(terms, voucherKey.address());
    } finally {
      lock.unlock();
    }
  }

  private boolean recoverOne(URI url, PaymentRequirements offer, ChannelConfig config, Bytes32 id, int index,
      VoucherSigner signer) {
    SignedVoucher probe = new SignedVoucher(id, BigInteger.ZERO, signer.sign(id, BigInteger.ZERO));
    HttpResponse<byte[]> r = send(url, "{}".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"),
        new PaymentPayload(2, offer, new SchemePayload.VoucherPayload(config, probe), null, null));
    PaymentRequired required = r.statusCode() == 402 ? requiredOf(r) : null;
    if (required == null || !BatchSettlementError.CUMULATIVE_AMOUNT_MISMATCH.code().equals(required.error())) {
      throw new ClientException("the node did not report channel " + id + "'s state (HTTP " + r.statusCode()
          + (required != null ? ", " + required.error() : "") + "); it cannot be recovered through " + url);
    }
    var extra = required.accepts().get(0).extra();
    BigInteger charged = ResponseCheck.correction(id, extra.channelState(), extra.voucherState(), signer);
    ChannelState state = extra.channelState();
    ChainChannels.OnChain onChain = chain == null ? null : chain.read(id);
    boolean exists = charged.signum() > 0 || state.balance().signum() > 0
        || (onChain != null && (onChain.balance().signum() > 0 || onChain.totalClaimed().signum() > 0));
    if (!exists) {
      return false;
    }
    store.create(id, config, signer.domain().chainId(), batchSettlement, index);
    if (extra.voucherState() != null) {
      store.recordServerVoucher(id, extra.voucherState().signedMaxClaimable(), extra.voucherState().signature());
    }
    store.recordAcknowledged(id, charged, state);
    if (onChain != null) {
      store.recordChain(id, onChain.balance(), onChain.totalClaimed(), onChain.withdrawInitiatedAt());
    }
    return true;
  }

  /**
   * Asks the node for a cooperative refund of {@code amount} (null: everything unclaimed) with a zero-charge
   * voucher, per the scheme's {@code refund} payload. A node connected to its chain claims what it charged and
   * refunds the rest in one transaction; a node without a chain answers
   * {@code invalid_batch_settlement_evm_refund_payload}, and the timed withdrawal
   * ({@link ChainChannels#initiateWithdraw}) always works.
   *
   * @throws PaymentRefusedException when the node refuses the refund
   */
  public PaidResponse requestRefund(URI url, BigInteger amount) {
    PaymentRequirements offer = offer(url);
    lock.lock();
    try {
      ChannelRecord ch = channelFor(offer, false);
      VoucherSigner signer = signerFor(ch);
      if (ch.signedMax().compareTo(ch.charged()) > 0) {
        throw new ClientException("channel " + ch.channelId() + " has a voucher of " + ch.signedMax()
            + " not yet acknowledged (charged " + ch.charged() + "); make a call or run 'recover' before a refund");
      }
      String sig = ch.signature() != null ? ch.signature() : signer.sign(ch.channelId(), ch.charged());
      if (ch.signature() == null) {
        store.recordSigned(ch.channelId(), ch.charged(), sig);
      }
      SchemePayload.RefundPayload refund = new SchemePayload.RefundPayload(ch.config(),
          new SignedVoucher(ch.channelId(), ch.charged(), sig), amount);
      HttpResponse<byte[]> r = send(url, "{}".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"),
          new PaymentPayload(2, offer, refund, null, null));
      if (r.statusCode() == 402) {
        PaymentRequired req = requiredOf(r);
        throw new PaymentRefusedException(req == null ? null : req.error(), "the node refused the refund on channel "
            + ch.channelId() + ": " + bodyMessage(r) + " (the timed withdrawal always works: 'withdraw')");
      }
      SettlementResponse s = settlementOf(r);
      if (r.statusCode() == 200 && s != null && s.extra() != null && s.extra().channelState() != null
          && s.extra().channelState().channelId().equals(ch.channelId())) {
        // The refund moved money on chain: keep the local view of the channel in step (charged is unchanged).
        store.recordAcknowledged(ch.channelId(), ch.charged(), s.extra().channelState());
      }
      return new PaidResponse(r.statusCode(), r.headers(), r.body(), s, ch.channelId());
    } finally {
      lock.unlock();
    }
  }

  private PaidResponse pay(URI url, byte[] body, Map<String, String> headers, PaymentRequirements offer,
      BigInteger depositAmount) {
    lock.lock();
    try {
      ChannelRecord ch = channelFor(offer, depositAmount != null);
      VoucherSigner signer = signerFor(ch);
      for (int attempt = 0; ; attempt++) {
        ch = nextVoucher(ch, offer.amount(), signer);
        SignedVoucher voucher = new SignedVoucher(ch.channelId(), ch.signedMax(), ch.signature());
        BigInteger depositedAtLeast = depositAmount == null ? null : ch.balance().add(depositAmount);
        SchemePayload payload = depositAmount == null ? new SchemePayload.VoucherPayload(ch.config(), voucher)
            : new SchemePayload.DepositPayload(ch.config(), voucher, depositOf(ch, offer, depositAmount));
        HttpResponse<byte[]> r = send(url, body, headers, new PaymentPayload(2, offer, payload, null, null));
        if (r.statusCode() == 402) {
          PaymentRequired required = requiredOf(r);
          String error = required == null ? null : required.error();
          if (attempt == 0 && BatchSettlementError.CUMULATIVE_AMOUNT_MISMATCH.code().equals(error)) {
            ch = resync(ch, required.accepts().get(0), signer);
            continue;
          }
          throw new PaymentRefusedException(error, "the node refused the payment on channel " + ch.channelId()
              + ": " + bodyMessage(r));
        }
        String header = r.headers().firstValue(X402Codec.PAYMENT_RESPONSE_HEADER).orElse(null);
        if (header == null && r.statusCode() >= 400) {
          // the call failed and nothing was charged: the same voucher pays for the next attempt
          return new PaidResponse(r.statusCode(), r.headers(), r.body(), null, ch.channelId());
        }
        SettlementResponse settlement = settlementOf(r);
        ChannelState state;
        try {
          state = ResponseCheck.settlement(ch.channelId(), ch.charged(), ch.signedMax(), offer.amount(),
              depositedAtLeast, settlement);
        } catch (NodeMisbehavedException e) {
          store.quarantine(ch.channelId(), e.violation() + ": " + e.getMessage());
          throw e;
        }
        store.recordAcknowledged(ch.channelId(), state.chargedCumulativeAmount(), state);
        StoredCall call = store.receipts().record(ReceiptCapture.capture(url, body, headers, r, settlement, ch, state));
        return new PaidResponse(r.statusCode(), r.headers(), r.body(), settlement, ch.channelId(), call);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Signs (durably first) the voucher for the next call, or re-uses the stored one when it is not lower. */
  private ChannelRecord nextVoucher(ChannelRecord ch, BigInteger price, VoucherSigner signer) {
    BigInteger next = ch.charged().add(price);
    if (ch.signature() != null && next.compareTo(ch.signedMax()) <= 0) {
      return ch; // never sign below what is already signed: send that voucher again
    }
    return store.recordSigned(ch.channelId(), next, signer.sign(ch.channelId(), next));
  }

  private ChannelRecord resync(ChannelRecord ch, PaymentRequirements corrective, VoucherSigner signer) {
    var extra = corrective.extra();
    BigInteger charged;
    try {
      charged = ResponseCheck.correction(ch.channelId(), extra.channelState(), extra.voucherState(), signer);
    } catch (NodeMisbehavedException e) {
      store.quarantine(ch.channelId(), e.violation() + ": " + e.getMessage());
      throw e;
    }
    if (extra.voucherState() != null) {
      store.recordServerVoucher(ch.channelId(), extra.voucherState().signedMaxClaimable(), extra.voucherState().signature());
    }
    return store.recordAcknowledged(ch.channelId(), charged, extra.channelState());
  }

  private Deposit depositOf(ChannelRecord ch, PaymentRequirements offer, BigInteger amount) {
    Eip712Domain token = Eip712Domain.create(offer.extra().name(), offer.extra().version(), ch.chainId(), offer.asset());
    long validBefore = System.currentTimeMillis() / 1000 + offer.maxTimeoutSeconds();
    return new Deposit(amount, DepositAuthorizations.erc3009(payer, token, erc3009Collector, ch.channelId(), amount,
        validBefore), null);
  }

  private ChannelRecord channelFor(PaymentRequirements offer, boolean mayOpen) {
    ChannelTerms terms = ChannelTerms.of(offer);
    List<ChannelRecord> known = store.onTerms(terms, voucherKey.address());
    Optional<ChannelRecord> usable = known.stream().filter(c -> !c.quarantined() && c.contract().equals(batchSettlement))
        .findFirst();
    if (usable.isPresent()) {
      return usable.get();
    }
    if (!mayOpen) {
      String quarantined = known.stream().filter(ChannelRecord::quarantined)
          .map(c -> c.channelId() + " (" + c.quarantineReason() + ")").reduce((a, b) -> a + "; " + b).orElse("");
      throw new ClientException("no usable channel pays " + terms.payTo() + " in " + terms.asset() + " on "
          + terms.network() + (quarantined.isEmpty() ? "" : "; quarantined: " + quarantined)
          + ". Open and fund one: 'infergate client deposit --amount <n>' (or --direct), or 'recover' a lost store");
    }
    int index = known.stream().mapToInt(ChannelRecord::index).max().orElse(-1) + 1;
    ChannelConfig config = terms.config(payer.address(), voucherKey.address(), index);
    Bytes32 id = BatchSettlementTypedData.channelId(Eip712Domain.batchSettlement(terms.chainId(), batchSettlement), config);
    return store.create(id, config, terms.chainId(), batchSettlement, index);
  }

  private VoucherSigner signerFor(ChannelRecord ch) {
    if (!ch.keyId().equals(voucherKey.address())) {
      throw new ClientException("channel " + ch.channelId() + " is signed for by " + ch.keyId()
          + ", not by the key given (" + voucherKey.address() + "); pass that channel's key with --key-env");
    }
    return VoucherSigner.create(voucherKey, Eip712Domain.batchSettlement(ch.chainId(), ch.contract()));
  }

  private PaymentRequirements offerOf(HttpResponse<byte[]> r, URI url) {
    PaymentRequired required = requiredOf(r);
    if (required == null) {
      throw new ClientException(url + " answered 402 without a valid PAYMENT-REQUIRED header: " + bodyMessage(r));
    }
    PaymentRequirements offer = required.accepts().stream()
        .filter(a -> PaymentRequirements.BATCH_SETTLEMENT.equals(a.scheme())).findFirst()
        .orElseThrow(() -> new ClientException(url + " does not offer x402 batch-settlement"));
    offers.put(url, offer);
    return offer;
  }

  private static PaymentRequired requiredOf(HttpResponse<byte[]> r) {
    try {
      return r.headers().firstValue(X402Codec.PAYMENT_REQUIRED_HEADER).map(X402Codec::decodePaymentRequiredHeader)
          .orElse(null);
    } catch (X402FormatException e) {
      return null;
    }
  }

  private static SettlementResponse settlementOf(HttpResponse<byte[]> r) {
    try {
      return r.headers().firstValue(X402Codec.PAYMENT_RESPONSE_HEADER).map(X402Codec::decodePaymentResponseHeader)
          .orElse(null);
    } catch (X402FormatException e) {
      return null; // a garbled PAYMENT-RESPONSE counts as none: the check reports it
    }
  }

  private static String bodyMessage(HttpResponse<byte[]> r) {
    String text = new String(r.body(), StandardCharsets.UTF_8);
    return text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }

  private HttpResponse<byte[]> send(URI url, byte[] body, Map<String, String> headers, PaymentPayload payment) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2));
    b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    if (payment != null) {
      b.header(X402Codec.PAYMENT_SIGNATURE_HEADER, X402Codec.encodePaymentSignatureHeader(payment));
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new ClientException("cannot reach " + url + ": " + e + "; check --node and that the node is running", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted while calling " + url, e);
    }
  }

  /**
   * Configures a {@link PaidHttpClient}.
   *
   * <pre>{@code
   * PaidHttpClient.builder().payer(key).store(store)
   *     .batchSettlement(Address.parse(contracts.batchSettlement())).build();
   * }</pre>
   */
  public static final class Builder {
    private HttpClient http;
    private ChannelStore store;
    private PrivateKey payer;
    private PrivateKey voucherKey;
    private Address batchSettlement = Address.parse(CanonicalX402Addresses.BATCH_SETTLEMENT);
    private Address erc3009Collector = Address.parse(CanonicalX402Addresses.ERC3009_DEPOSIT_COLLECTOR);
    private ChainChannels chain;

    private Builder() {}

    /** The payer's key: owns the channels and signs deposits (and vouchers, unless {@link #voucherKey} is set). */
    public Builder payer(PrivateKey key) {
      this.payer = key;
      return this;
    }

    /** A separate key that signs vouchers (the channel's {@code payerAuthorizer}); default: the payer's key. */
    public Builder voucherKey(PrivateKey key) {
      this.voucherKey = key;
      return this;
    }

    public Builder store(ChannelStore store) {
      this.store = store;
      return this;
    }

    /** The channel contract (EIP-712 verifying contract); default: the canonical x402 address. */
    public Builder batchSettlement(Address contract) {
      this.batchSettlement = contract;
      return this;
    }

    /** The ERC-3009 deposit collector; default: the canonical x402 address. */
    public Builder erc3009Collector(Address collector) {
      this.erc3009Collector = collector;
      return this;
    }

    /** The chain, for {@link #recover} to read {@code channels(id)}; optional. */
    public Builder chain(ChainChannels chain) {
      this.chain = chain;
      return this;
    }

    public Builder httpClient(HttpClient client) {
      this.http = client;
      return this;
    }

    public PaidHttpClient build() {
      if (payer == null) {
        throw new IllegalStateException("a PaidHttpClient needs the payer's key: builder().payer(key)");
      }
      if (store == null) {
        throw new IllegalStateException("a PaidHttpClient needs a channel store: builder().store(ChannelStore.open(file))");
      }
      return new PaidHttpClient(this);
    }
  }
}
