package io.infergate.bench.payments;

import io.infergate.bench.payments.BenchChannels.Channel;
import io.infergate.host.models.RuntimeProfile;
import io.infergate.host.payments.ledger.ChannelLease;
import io.infergate.host.payments.ledger.ChargeHook;
import io.infergate.host.receipts.ReceiptIssuer;
import io.infergate.host.receipts.ReceiptJournal;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.receipt.InferenceReceipt;
import io.infergate.x402.receipt.SignedReceipt;
import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.payments.ledger.ChargeResult;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import io.infergate.host.payments.verify.ChannelView;
import io.infergate.host.payments.verify.Verdict;
import io.infergate.host.payments.verify.VoucherVerifier;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.crypto.Signature;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.SettlementResponse;
import io.infergate.x402.wire.X402Codec;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The payment gate's cost per paid call, in-process, split into its steps (issue 4: target 60 µs on the
 * embedding model's path, SQLite durable). Every JMH thread pays on its own channel, so threads do not
 * contend for a channel lease, only for SQLite's single writer and the WAL fsync (group commit): run with
 * {@code -t 1}, {@code -t 2}, {@code -t 4} to see what group commit does to latency.
 *
 * <p>CPU steps, on a fixed voucher: {@code cpu_decodeHeader} (PAYMENT-SIGNATURE base64 + JSON),
 * {@code cpu_channelId} (EIP-712 hash of the config), {@code cpu_recover} (secp256k1 recovery alone),
 * {@code cpu_verify} (the verifier's whole rule set, which hashes the channel id again and recovers),
 * {@code cpu_encodeResponse} (PAYMENT-RESPONSE).
 *
 * <p>Ledger steps on SQLite in WAL mode with the host's group commit, a file under {@code ledgerDir}
 * (default {@code bench/target/paybench}, i.e. this disk, not a tmpfs): {@code ledger_acquireRelease},
 * {@code ledger_get}, {@code ledger_upsertKnown} and {@code ledger_cacheSigner} (which the gate calls on every
 * call, each a durable write), {@code ledger_recordCharge} (on a lease held for the trial),
 * {@code ledger_minimal} (acquire + get + recordCharge + release: the least a durable charge needs today) and
 * {@code ledger_asGate} (the sequence {@code PaymentGate.admit} + {@code PaidCall.commit} + release runs).
 * {@code disk_fsync} is the floor: append 120 bytes to a file and {@code force(false)} it.
 *
 * <p>Receipts (issue 6): {@code receipt_sign} (build the {@code InferenceReceipt} and sign it with libsecp256k1),
 * {@code receipt_signAndStore} (what a receipt adds to the charge's transaction: the seq upsert, signing and the
 * insert, committed through a SQLite ledger's own write path without an fsync, as it shares the charge's),
 * {@code receipt_emptyTransaction} (its floor: BEGIN IMMEDIATE + COMMIT alone, which the charge pays anyway),
 * {@code ledger_chargeWithReceipt} / {@code ledger_chargeWithoutReceipt} (acquire + get + the durable charge with
 * release, with and without the receipt hook: the whole durable step either way).
 *
 * <p>{@code total}: everything the gate does for one voucher-paid call, in its order: decode, channel id,
 * acquire and get (in memory on SQLite: no SQL), verify, the charge with the lease's release (one transaction),
 * encode, and the wait for the fsync that makes it durable. {@code total_workerBusy}: the same without that wait, i.e. how long the
 * service worker is busy with the payment (the answer waits for the ledger's fsync thread; the worker does not).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class PaymentCostBenchmark {
  static final BigInteger PRICE = BenchChannels.EMBEDDING_PRICE;
  static final PaymentRequirements OFFER = BenchChannels.offer(PRICE);
  static final int CHANNELS = 64;

  /** One SQLite ledger per trial, seeded with {@link #CHANNELS} funded channels. */
  @State(Scope.Benchmark)
  public static class Ledger {
    /** {@code payments.ledger-fsync}: wait for a WAL fsync per charge (true) or answer once the OS has it. */
    @Param({"true", "false"})
    public boolean fsync;
    final AtomicInteger nextChannel = new AtomicInteger();
    SqliteChannelLedger ledger;
    VoucherVerifier verifier;
    Path dir;
    FileChannel fsyncFile;

    @Setup(Level.Trial)
    public void open() throws IOException {
      Path root = Path.of(System.getProperty("ledgerDir", "bench/target/paybench"));
      Files.createDirectories(root);
      dir = Files.createTempDirectory(root.toAbsolutePath(), "jmh-");
      ledger = SqliteChannelLedger.open(dir.resolve("ledger.sqlite"), Clock.systemUTC(), fsync);
      for (int i = 0; i < CHANNELS; i++) {
        BenchChannels.seed(ledger, BenchChannels.channel(i));
      }
      verifier = new VoucherVerifier(BenchChannels.DOMAIN,
          Address.parse("0x4020806089470a89826cB9fB1f4059150b550004"), Clock.systemUTC());
      fsyncFile = FileChannel.open(dir.resolve("fsync.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      ledger.close();
      fsyncFile.close();
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /** One JMH thread's channel, with its next voucher signed before each call (outside the timing). */
  @State(Scope.Thread)
  public static class Payer {
    Channel channel;
    boolean signEachCall;
    String owner;
    String fixedHeader;
    PaymentPayload fixedPayment;
    ChannelView fixedView;
    byte[] fixedDigest;
    Signature fixedSignature;
    SettlementResponse response;
    ChannelLease heldLease;
    long version;
    BigInteger charged;

    @Setup(Level.Trial)
    public void setUp(Ledger l, org.openjdk.jmh.infra.BenchmarkParams params) {
      init(l, params.getBenchmark().matches(
          ".*(ledger_recordCharge|ledger_minimal|ledger_asGate|ledger_chargeWith(out)?Receipt|total|total_workerBusy"
          + "|verifyAndCommit)$"));
    }

    /** {@link #setUp} outside JMH: a channel of {@code l}, with vouchers signed before each call or not. */
    void init(Ledger l, boolean signEachCall) {
      this.signEachCall = signEachCall;
      channel = BenchChannels.channel(l.nextChannel.getAndIncrement() % CHANNELS);
      owner = "bench-" + channel.index();
      fixedHeader = channel.header(OFFER, PRICE);
      fixedPayment = X402Codec.decodePaymentSignatureHeader(fixedHeader);
      fixedView = new ChannelView(channel.config(), BigInteger.ZERO, null, null, BenchChannels.BALANCE, BigInteger.ZERO,
          0, BigInteger.ZERO);
      fixedDigest = BatchSettlementTypedData.voucherDigest(BenchChannels.DOMAIN, channel.id(), PRICE);
      fixedSignature = Signature.parse(fixedPayment.payload().voucher().signature());
      response = SettlementResponse.voucher(OFFER.network(), channel.config().payer().toString(), PRICE,
          new io.infergate.x402.wire.ChannelState(channel.id(), BenchChannels.BALANCE, BigInteger.ZERO, 0,
              BigInteger.ZERO, PRICE.multiply(BigInteger.valueOf(12345))));
    }

    /** Re-reads where the channel stands (each benchmark method moves it) and signs the next voucher. */
    @Setup(Level.Iteration)
    public void sync(Ledger l) {
      ChannelState s = l.ledger.get(channel.idHex()).orElseThrow();
      charged = s.chargedCumulativeAmount();
      version = s.version();
      heldLease = null;
    }

    /** The voucher for the next call (charged + price) and its header, signed before each call, untimed. */
    BigInteger nextAmount;
    String nextHeader;
    PaymentPayload nextPayment;

    @Setup(Level.Invocation)
    public void signNext() {
      if (signEachCall) {
        nextAmount = charged.add(PRICE);
        nextHeader = channel.header(OFFER, nextAmount);
        nextPayment = X402Codec.decodePaymentSignatureHeader(nextHeader);
      }
    }

    @TearDown(Level.Iteration)
    public void dropLease(Ledger l) {
      if (heldLease != null) {
        l.ledger.release(heldLease);
        heldLease = null;
      }
    }
  }

  // ---- CPU steps

  @Benchmark
  public PaymentPayload cpu_decodeHeader(Payer p) {
    return X402Codec.decodePaymentSignatureHeader(p.fixedHeader);
  }

  @Benchmark
  public Bytes32 cpu_channelId(Payer p) {
    return BatchSettlementTypedData.channelId(BenchChannels.DOMAIN, p.fixedPayment.payload().channelConfig());
  }

  @Benchmark
  public Address cpu_recover(Payer p) {
    return Secp256k1.recover(p.fixedDigest, p.fixedSignature);
  }

  @Benchmark
  public Verdict cpu_verify(Ledger l, Payer p) {
    return l.verifier.verify(OFFER, p.fixedView, p.fixedPayment, PRICE);
  }

  @Benchmark
  public String cpu_encodeResponse(Payer p) {
    return X402Codec.encodePaymentResponseHeader(p.response);
  }

  // ---- ledger steps

  @Benchmark
  public void ledger_acquireRelease(Ledger l, Payer p) {
    l.ledger.release(l.ledger.acquire(p.channel.idHex(), p.owner, Duration.ofMinutes(1)));
  }

  @Benchmark
  public Optional<ChannelState> ledger_get(Ledger l, Payer p) {
    return l.ledger.get(p.channel.idHex());
  }

  @Benchmark
  public ChannelState ledger_upsertKnown(Ledger l, Payer p) {
    return l.ledger.upsertChannel(p.channel.idHex(), p.channel.ledgerConfig());
  }

  @Benchmark
  public void ledger_cacheSigner(Ledger l, Payer p) {
    l.ledger.cacheVoucherSigner(p.channel.idHex(), p.channel.config().payerAuthorizer().toString()
        .toLowerCase(Locale.ROOT));
  }

  @Benchmark
  public ChargeResult ledger_recordCharge(Ledger l, Payer p) {
    if (p.heldLease == null) {
      p.heldLease = l.ledger.acquire(p.channel.idHex(), p.owner, Duration.ofHours(1));
    }
    ChargeResult r = l.ledger.recordCharge(p.heldLease, p.version, p.nextAmount, p.nextAmount,
        Signature.parse(p.fixedPayment.payload().voucher().signature()).toBytes());
    committed(p, r);
    return r;
  }

  @Benchmark
  public ChargeResult ledger_minimal(Ledger l, Payer p) {
    ChannelLease lease = l.ledger.acquire(p.channel.idHex(), p.owner, Duration.ofMinutes(1));
    try {
      ChannelState s = l.ledger.get(p.channel.idHex()).orElseThrow();
      ChargeResult r = l.ledger.recordCharge(lease, s.version(), s.chargedCumulativeAmount().add(PRICE), p.nextAmount,
          p.fixedSignature.toBytes());
      committed(p, r);
      return r;
    } finally {
      l.ledger.release(lease);
    }
  }

  @Benchmark
  public ChargeResult ledger_asGate(Ledger l, Payer p) {
    String id = p.channel.idHex();
    ChannelLease lease = l.ledger.acquire(id, p.owner, Duration.ofMinutes(1));
    try {
      l.ledger.get(id).orElseThrow();
      l.ledger.upsertChannel(id, p.channel.ledgerConfig());
      ChannelState s = l.ledger.get(id).orElseThrow();
      l.ledger.cacheVoucherSigner(id, p.channel.ledgerConfig().payerAuthorizer());
      ChargeResult r = l.ledger.recordCharge(lease, s.version(), s.chargedCumulativeAmount().add(PRICE), p.nextAmount,
          p.fixedSignature.toBytes());
      committed(p, r);
      return r;
    } finally {
      l.ledger.release(lease);
    }
  }

  @Benchmark
  public int disk_fsync(Ledger l) throws IOException {
    int n = l.fsyncFile.write(ByteBuffer.wrap(new byte[120]));
    l.fsyncFile.force(false);
    return n;
  }

  // ---- receipts

  /** A receipt issuer on the trial's ledger, and a second SQLite file for the receipt's own part of a transaction. */
  @State(Scope.Benchmark)
  public static class Receipts {
    static final PrivateKey KEY = PrivateKey.of(Bytes32.keccak("infergate-bench-receipts".getBytes()).toBytes());
    static final ReceiptIssuer.ServiceFacts FACTS = new ReceiptIssuer.ServiceFacts("text-embedding",
        "bafybeiaidonm4srbyt7shk2zv6o5vjrfoqlzhds33gsf3ivauvss2ug4ae",
        InferenceReceipt.modelSetHash(java.util.List.of("bafkreiab")), RuntimeProfile.of(java.util.Map.of(
            "onnxruntime", "1.23.2", "executionProvider", "cpu", "intraOpThreads", "1")));
    ReceiptIssuer issuer;
    ReceiptIssuer alone;
    SqliteChannelLedger other;
    ChannelState state;
    InferenceReceipt receipt;

    @Setup(Level.Trial)
    public void open(Ledger l) {
      ReceiptIssuer.Signer signer = new ReceiptIssuer.Signer(KEY, InferenceReceipt.domain(BenchChannels.CHAIN,
          Address.parse("0x5FbDB2315678afecb367f032d93F642f64180aa3")), BenchChannels.PAY_TO);
      issuer = new ReceiptIssuer(ReceiptJournal.open(l.ledger), signer, Clock.systemUTC());
      // Its own ledger file, without fsync: the receipt shares the charge's commit and fsync in the host.
      other = SqliteChannelLedger.open(l.dir.resolve("receipts.sqlite"), Clock.systemUTC(), false);
      alone = new ReceiptIssuer(ReceiptJournal.open(other), signer, Clock.systemUTC());
      alone.pending(new ReceiptIssuer.Draft(FACTS, Bytes32.ZERO, Bytes32.ZERO, PRICE));     // stores the profile
      BenchChannels.Channel c = BenchChannels.channel(0);
      state = l.ledger.get(c.idHex()).orElseThrow();
      receipt = new InferenceReceipt(Bytes32.keccak(new byte[] {1}), Bytes32.keccak(new byte[] {2}),
          BenchChannels.PAY_TO, FACTS.service(), FACTS.pluginCid(), FACTS.modelCid(), FACTS.profile().hash(),
          c.id(), PRICE, PRICE, PRICE, 0, 1_796_000_000L);
    }

    @TearDown(Level.Trial)
    public void close() {
      other.close();
    }
  }

  @Benchmark
  public SignedReceipt receipt_sign(Receipts r) {
    return SignedReceipt.sign(r.receipt, r.issuer.signer().domain(), Receipts.KEY);
  }

  @Benchmark
  public void receipt_signAndStore(Receipts r) {
    ReceiptIssuer.Pending pending = r.alone.pending(new ReceiptIssuer.Draft(Receipts.FACTS, Bytes32.ZERO,
        Bytes32.ZERO, PRICE));
    r.other.database().write(c -> {
      pending.inTransaction(c, r.state, PRICE);
      return null;
    });
  }

  /** The floor of {@code receipt_signAndStore}: the same transaction, empty (the charge pays for it anyway). */
  @Benchmark
  public void receipt_emptyTransaction(Receipts r) {
    r.other.database().write(c -> null);
  }

  @Benchmark
  public ChargeResult ledger_chargeWithReceipt(Ledger l, Receipts rc, Payer p) {
    return chargeAndRelease(l, p, rc.issuer.pending(new ReceiptIssuer.Draft(Receipts.FACTS, Bytes32.ZERO,
        Bytes32.ZERO, p.nextAmount)));
  }

  @Benchmark
  public ChargeResult ledger_chargeWithoutReceipt(Ledger l, Payer p) {
    return chargeAndRelease(l, p, ChargeHook.NONE);
  }

  private static ChargeResult chargeAndRelease(Ledger l, Payer p, ChargeHook hook) {
    ChannelLease lease = l.ledger.acquire(p.channel.idHex(), p.owner, Duration.ofMinutes(1));
    ChannelState s = l.ledger.get(p.channel.idHex()).orElseThrow();
    ChargeResult r = l.ledger.recordChargeAndRelease(lease, s.version(), s.chargedCumulativeAmount().add(PRICE),
        p.nextAmount, p.fixedSignature.toBytes(), hook);
    if (!r.committed()) {
      l.ledger.release(lease);
    }
    committed(p, r);
    return r;
  }

  // ---- the gate's whole sequence

  @Benchmark
  public String total(Ledger l, Payer p) throws Exception {
    return gate(l, p, true);
  }

  /**
   * {@link #total} up to the commit, without waiting for the fsync: how long the service worker is busy with the
   * payment per call (the answer then waits for the ledger's fsync thread, while the worker takes its next call).
   */
  @Benchmark
  public String total_workerBusy(Ledger l, Payer p) throws Exception {
    return gate(l, p, false);
  }

  /**
   * What the "voucher verification and commit" names, and only that: {@link #total_workerBusy} without the
   * header's decoding (done untimed) and without PAYMENT-RESPONSE. Lease and read, verify, charge, commit; the
   * worker's share with the group fsync on (it runs on the ledger's own thread) or off.
   */
  @Benchmark
  public ChargeResult verifyAndCommit(Ledger l, Payer p) {
    return verifyAndCharge(l, p, p.nextPayment, p.channel.idHex());
  }

  /** The gate's sequence as the host runs it (PaymentGate.admit + PaidCall.commit, receipts off). */
  static String gate(Ledger l, Payer p, boolean awaitDurable) throws Exception {
    PaymentPayload payment = X402Codec.decodePaymentSignatureHeader(p.nextHeader);
    String id = BatchSettlementTypedData.channelId(BenchChannels.DOMAIN, payment.payload().channelConfig()).toString();
    ChargeResult.Committed c = verifyAndCharge(l, p, payment, id);
    ChannelState after = c.state();
    String header = X402Codec.encodePaymentResponseHeader(SettlementResponse.voucher(OFFER.network(),
        payment.payload().channelConfig().payer().toString(), PRICE, new io.infergate.x402.wire.ChannelState(
            Bytes32.parse(after.channelId()), after.chain().balance(), after.chain().totalClaimed(),
            after.chain().withdrawRequestedAt(), after.chain().refundNonce(), after.chargedCumulativeAmount())));
    if (awaitDurable) {
      c.durable().toCompletableFuture().get();
    }
    return header;
  }

  /**
   * Lease and read, verify, charge and commit (the durability wait left to the caller), as PaymentGate.admit and
   * PaidCall.commit do it with receipts off. A refusal releases the lease, as the gate does; a committed charge
   * released it itself.
   */
  private static ChargeResult.Committed verifyAndCharge(Ledger l, Payer p, PaymentPayload payment, String id) {
    io.infergate.host.payments.ledger.ChannelLedger.Leased leased =
        l.ledger.acquireAndGet(id, p.owner, Duration.ofMinutes(1));
    ChannelLease lease = leased.lease();
    try {
      ChannelState known = leased.state().orElseThrow();
      ChannelView view = new ChannelView(payment.payload().channelConfig(), known.chargedCumulativeAmount(),
          known.voucher().map(v -> v.maxClaimableAmount()).orElse(null),
          known.voucher().map(v -> io.infergate.x402.crypto.Hex.encode(v.signature())).orElse(null),
          known.chain().balance(), known.chain().totalClaimed(), known.chain().withdrawRequestedAt(),
          known.chain().refundNonce());
      Verdict v = l.verifier.verify(OFFER, view, payment, PRICE);
      if (!(v instanceof Verdict.Accept accept)) {
        throw new IllegalStateException("voucher refused: " + v);
      }
      // As PaymentGate does it: a known channel is not written again; the signer only when it changed.
      String signer = accept.authorizer().toString().toLowerCase(Locale.ROOT);
      if (!known.voucherSigner().map(signer::equals).orElse(false)) {
        l.ledger.cacheVoucherSigner(id, signer);
      }
      ChargeResult r = l.ledger.recordChargeAndReleaseDeferred(lease, known.version(),
          known.chargedCumulativeAmount().add(PRICE), accept.newMaxClaimable(),
          io.infergate.x402.crypto.Hex.decode(payment.payload().voucher().signature()), ChargeHook.NONE);
      if (!(r instanceof ChargeResult.Committed c)) {
        throw new IllegalStateException("charge refused: " + r);
      }
      committed(p, r);
      return c;
    } catch (RuntimeException e) {
      l.ledger.release(lease);
      throw e;
    }
  }

  private static void committed(Payer p, ChargeResult r) {
    if (!(r instanceof ChargeResult.Committed c)) {
      throw new IllegalStateException("charge refused: " + r);
    }
    p.charged = c.state().chargedCumulativeAmount();
    p.version = c.state().version();
  }
}
