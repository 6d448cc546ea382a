package io.infergate.host.payments.chain;

import static io.infergate.host.payments.chain.SettlementChain.rpc;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Sends the node's own transactions (deposits it relays, claims, settles) from one key: simulates first (a
 * revert is reported with its reason and costs no gas), signs an EIP-1559 transaction, hands its hash to the
 * caller <em>before</em> broadcasting (so a crash after the broadcast still finds the transaction), then waits
 * for the receipt and the configured confirmations.
 *
 * <p>Nonces: one sender per key and process; signing and broadcasting happen under one lock and the nonce is
 * the chain's pending count at that moment, so a transaction that was signed but never broadcast leaves no gap. With
 * a {@link SentTransactionJournal} on a shared PostgreSQL ledger the lock spans the replicas too (an advisory lock per
 * key), so the claims leader and replicas relaying deposits never sign two transactions with one nonce.
 * The nonces are mined in order, so the sender remembers what it broadcast per nonce until it is mined
 * ({@link SentTransactions}, recorded in the ledger's database before each broadcast when created with a
 * {@link SentTransactionJournal}): a stuck transaction at the head of the queue can then be found and replaced
 * ({@link #replaceIfWaited}) whatever it was for, also after a restart.
 */
public final class TransactionSender {
  /** Gas headroom over the estimate: state can move between simulation and inclusion. */
  private static final BigInteger GAS_HEADROOM_PERCENT = BigInteger.valueOf(125);

  private final Web3j web3j;
  private final long chainId;
  private final Credentials key;
  private final Duration pollInterval;
  private final Clock clock;
  private final ReentrantLock sending = new ReentrantLock();
  private final SentTransactions sent;

  private TransactionSender(Web3j web3j, long chainId, Credentials key, Duration pollInterval, Clock clock,
      SentTransactionJournal journal) {
    this.web3j = web3j;
    this.chainId = chainId;
    this.key = key;
    this.pollInterval = pollInterval;
    this.clock = clock;
    this.sent = new SentTransactions(journal, key.getAddress());
  }

  /**
   * What a transaction is for. Claims are replaced by the claim scheduler (their hashes go to the ledger first);
   * deposits, refunds and settles by whoever finds them stuck, since their waits follow replacements; other
   * transactions (the receipt anchor's commits, when the receipt key is the facilitator key) never, because
   * their senders track the one hash they sent and would take a replaced one for dropped.
   */
  public enum Kind {
    CLAIM, DEPOSIT, REFUND, SETTLE, ANCHOR, OTHER;

    /** The name in logs and in the replacement counter's {@code kind} tag. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether a transaction of this kind may be replaced by nonce, without telling whoever sent it. */
    boolean replaceableByNonce() {
      return this == DEPOSIT || this == REFUND || this == SETTLE;
    }
  }

  /** What a transaction is for, and a description for logs and errors (e.g. "deposit into channel 0x..."). */
  public record Purpose(Kind kind, String description) {
    public Purpose {
      java.util.Objects.requireNonNull(kind, "kind");
      java.util.Objects.requireNonNull(description, "description");
    }

    static Purpose other() {
      return new Purpose(Kind.OTHER, "a transaction");
    }
  }

  /**
   * The sender for the node's facilitator key on {@code chain}; create one per key and share it (deposits and
   * claims), so its nonces never race. {@code receiptPollInterval} is how often receipts are asked for.
   */
  public static TransactionSender create(SettlementChain chain, Credentials facilitator, Duration receiptPollInterval) {
    return create(chain, facilitator, receiptPollInterval, Clock.systemUTC(), SentTransactionJournal.NONE);
  }

  /**
   * As above, recording what it broadcasts in {@code journal} (before each broadcast) and starting from what the
   * journal holds for the key: what the node runs, so a transaction a crashed run left stuck is replaced after the
   * restart.
   */
  public static TransactionSender create(SettlementChain chain, Credentials facilitator, Duration receiptPollInterval,
      SentTransactionJournal journal) {
    return create(chain, facilitator, receiptPollInterval, Clock.systemUTC(), journal);
  }

  /** As above; {@code clock} times how long a broadcast transaction has waited (tests pass a manual one). */
  static TransactionSender create(SettlementChain chain, Credentials facilitator, Duration receiptPollInterval,
      Clock clock) {
    return create(chain, facilitator, receiptPollInterval, clock, SentTransactionJournal.NONE);
  }

  static TransactionSender create(SettlementChain chain, Credentials facilitator, Duration receiptPollInterval,
      Clock clock, SentTransactionJournal journal) {
    return new TransactionSender(chain.web3j(), chain.chainId(), java.util.Objects.requireNonNull(facilitator,
        "facilitator"), java.util.Objects.requireNonNull(receiptPollInterval, "receiptPollInterval"),
        java.util.Objects.requireNonNull(clock, "clock"), java.util.Objects.requireNonNull(journal, "journal"));
  }

  /** The address that pays gas. */
  public String address() {
    return key.getAddress();
  }

  /**
   * The sender for {@code key} on the chain {@code web3j} talks to (chain id {@code chainId}), for transactions to
   * other contracts than the settlement one (the receipt anchor's commits are signed by the receipt key).
   */
  public static TransactionSender create(Web3j web3j, long chainId, Credentials key, Duration receiptPollInterval) {
    return new TransactionSender(java.util.Objects.requireNonNull(web3j, "web3j"), chainId,
        java.util.Objects.requireNonNull(key, "key"), java.util.Objects.requireNonNull(receiptPollInterval,
        "receiptPollInterval"), Clock.systemUTC(), SentTransactionJournal.NONE);
  }

  /** Thrown when the transaction would revert or did revert; {@link #reason()} names the contract error. */
  public static final class Reverted extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    Reverted(String message, String reason) {
      super(message, null, false, false);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  /** Gas the call needs with headroom; {@link Reverted} if it would revert now. */
  public BigInteger simulate(String to, String data) {
    EthEstimateGas estimate;
    try {
      estimate = web3j.ethEstimateGas(Transaction.createEthCallTransaction(key.getAddress(), to, data)).send();
    } catch (java.io.IOException e) {
      throw new ChainRpcException("eth_estimateGas failed: " + e.getMessage(), e);
    }
    if (estimate.hasError()) {
      Object revertData = estimate.getError().getData();
      String reason = revertData != null
          ? SettlementChain.revertReason(String.valueOf(revertData))
          : estimate.getError().getMessage();
      throw new Reverted("the transaction would revert: " + reason, reason);
    }
    return estimate.getAmountUsed().multiply(GAS_HEADROOM_PERCENT).divide(BigInteger.valueOf(100));
  }

  /**
   * Signs and broadcasts; {@code beforeBroadcast} receives the transaction hash first (and may throw to abort:
   * nothing is sent then). Returns the hash.
   */
  public String send(String to, String data, BigInteger gasLimit, Consumer<String> beforeBroadcast) {
    return send(to, data, gasLimit, Purpose.other(), beforeBroadcast);
  }

  /** As above, remembering {@code purpose} for the nonce (logs, replacement, metrics). */
  public String send(String to, String data, BigInteger gasLimit, Purpose purpose, Consumer<String> beforeBroadcast) {
    sending.lock();
    try {
      // The pending count is the next nonce only while nobody else sends with the key between this read and the
      // broadcast: this process's other threads wait on `sending`, other replicas on the database's lock.
      return sent.exclusively(() -> {
        BigInteger nonce = rpc("eth_getTransactionCount",
            () -> web3j.ethGetTransactionCount(key.getAddress(), DefaultBlockParameterName.PENDING).send())
            .getTransactionCount();
        Market market = market();
        BigInteger maxFee = market.baseFee().shiftLeft(1).add(market.tip());
        return signAndBroadcast(RawTransaction.createTransaction(chainId, nonce, gasLimit, to, BigInteger.ZERO, data,
            market.tip(), maxFee), purpose, beforeBroadcast);
      });
    } finally {
      sending.unlock();
    }
  }

  /**
   * A transaction of this sender that the chain knows but has not mined: the chain's own copy, so that it can be
   * replaced after a restart as well.
   */
  record Pending(String hash, BigInteger nonce, String to, String input, BigInteger gasLimit, FeeBump.Fees fees) {}

  /** The chain's copy of {@code hash} if it is still waiting to be mined; empty if mined or unknown. */
  Optional<Pending> pending(String hash) {
    Optional<org.web3j.protocol.core.methods.response.Transaction> found = rpc("eth_getTransactionByHash",
        () -> web3j.ethGetTransactionByHash(hash).send()).getTransaction();
    if (found.isEmpty() || found.get().getBlockNumberRaw() != null) {
      return Optional.empty();
    }
    org.web3j.protocol.core.methods.response.Transaction t = found.get();
    if (!key.getAddress().equalsIgnoreCase(t.getFrom())) {
      throw new IllegalStateException("transaction " + hash + " was sent by " + t.getFrom() + ", not by this node's "
          + key.getAddress() + "; it cannot be replaced from here");
    }
    // A legacy transaction pays its gas price as both the fee cap and the tip.
    BigInteger maxFee = t.getMaxFeePerGasRaw() != null ? t.getMaxFeePerGas() : t.getGasPrice();
    BigInteger tip = t.getMaxPriorityFeePerGasRaw() != null ? t.getMaxPriorityFeePerGas() : t.getGasPrice();
    return Optional.of(new Pending(hash, t.getNonce(), t.getTo(), t.getInput(), t.getGas(),
        new FeeBump.Fees(maxFee, tip)));
  }

  /**
   * Replaces a stuck transaction: the same nonce, recipient, data and gas limit, signed again with fees raised by
   * at least {@link FeeBump#MIN_BUMP_PERCENT} and to what the chain asks now ({@link FeeBump#replacement}).
   * {@code beforeBroadcast} receives the new hash first (and may throw to abort). Empty, with nothing sent, when
   * {@code maxFeeCap} leaves no room for a valid bump. Whichever of the two is mined, the other never can be.
   */
  Optional<Replacement> replace(Pending stuck, Optional<BigInteger> maxFeeCap, Purpose purpose,
      Consumer<String> beforeBroadcast) {
    sending.lock();
    try {
      Market market = market();
      Optional<FeeBump.Fees> fees = FeeBump.replacement(stuck.fees(), market.baseFee(), market.tip(), maxFeeCap);
      if (fees.isEmpty()) {
        return Optional.empty();
      }
      String hash = signAndBroadcast(RawTransaction.createTransaction(chainId, stuck.nonce(), stuck.gasLimit(),
          stuck.to(), BigInteger.ZERO, stuck.input(), fees.get().maxPriorityFeePerGas(), fees.get().maxFeePerGas()),
          purpose, beforeBroadcast);
      return Optional.of(new Replacement(hash, fees.get()));
    } finally {
      sending.unlock();
    }
  }

  /**
   * Replaces {@code hash} if the chain still holds it unmined ({@link #replace}: same nonce and call, fees bumped,
   * at most {@code maxFeeCap}); {@code beforeBroadcast} receives the replacement's hash first. Returns that hash;
   * empty, with nothing sent, when {@code hash} is mined or unknown, or the cap leaves no room for a valid bump. For
   * senders that record their own hashes and wait for them (receipt root commits): whichever of the two is mined,
   * the other never can be, so the caller must accept either.
   */
  public Optional<String> replaceIfPending(String hash, Optional<BigInteger> maxFeeCap, Purpose purpose,
      Consumer<String> beforeBroadcast) {
    return pending(hash).flatMap(stuck -> replace(stuck, maxFeeCap, purpose, beforeBroadcast)).map(Replacement::hash);
  }

  /** A broadcast replacement: its hash and the fees it offers. */
  record Replacement(String hash, FeeBump.Fees fees) {}

  /** What the chain asks for now: the latest block's base fee and the node's suggested tip. */
  private record Market(BigInteger baseFee, BigInteger tip) {}

  private Market market() {
    EthBlock.Block latest = rpc("eth_getBlockByNumber",
        () -> web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send()).getBlock();
    BigInteger tip = rpc("eth_maxPriorityFeePerGas", () -> web3j.ethMaxPriorityFeePerGas().send())
        .getMaxPriorityFeePerGas();
    return new Market(Optional.ofNullable(latest.getBaseFeePerGas()).orElse(BigInteger.ZERO), tip);
  }

  /**
   * Signs, hands the hash to {@code beforeBroadcast}, remembers it for its nonce, broadcasts; the caller holds
   * {@link #sending}. Remembered before broadcasting: a broadcast whose answer was lost may still have gone out.
   */
  private String signAndBroadcast(RawTransaction tx, Purpose purpose, Consumer<String> beforeBroadcast) {
    byte[] signed = TransactionEncoder.signMessage(tx, key);
    String hash = Numeric.toHexString(Hash.sha3(signed));
    beforeBroadcast.accept(hash);
    sent.broadcast(tx.getNonce(), purpose, hash, clock.instant());
    EthSendTransaction sent = rpc("eth_sendRawTransaction",
        () -> web3j.ethSendRawTransaction(Numeric.toHexString(signed)).send());
    if (!hash.equalsIgnoreCase(sent.getTransactionHash())) {
      throw new ChainRpcException("the node answered transaction hash " + sent.getTransactionHash()
          + " for " + hash + "; refusing to guess which one is real");
    }
    return hash;
  }

  /**
   * How many transactions of this sender are mined: the nonce the next one to be mined must carry. What this
   * sender remembers below it is forgotten.
   */
  BigInteger minedCount() {
    BigInteger mined = rpc("eth_getTransactionCount",
        () -> web3j.ethGetTransactionCount(key.getAddress(), DefaultBlockParameterName.LATEST).send())
        .getTransactionCount();
    sent.minedBelow(mined);
    return mined;
  }

  /** What this process broadcast with {@code nonce}, if that nonce is not known mined yet. */
  Optional<SentTransactions.AtNonce> sentWith(BigInteger nonce) {
    return sent.at(nonce);
  }

  /**
   * What this process broadcast with {@code nonce}, joined with what the ledger's record of the key holds for it
   * (another replica of the key may have sent or replaced it since this one started), if that nonce is not known
   * mined yet. A database read each time on a shared (PostgreSQL) ledger: for the claim round and the waits, not for
   * hot paths.
   */
  Optional<SentTransactions.AtNonce> recordedWith(BigInteger nonce) {
    return sent.recorded(nonce);
  }

  /** The nonce this process broadcast {@code hash} with, while it is not known mined. */
  Optional<BigInteger> nonceOf(String hash) {
    return sent.nonceOf(hash);
  }

  /** Nonces this process broadcast and does not know mined yet, lowest first. */
  List<SentTransactions.AtNonce> unmined() {
    return sent.all();
  }

  /**
   * Replaces the newest transaction this process broadcast with {@code nonce} if it has waited {@code replaceAfter}
   * unmined since it was sent: the chain's copy, signed again with fees bumped ({@link #replace}), at most
   * {@code maxFeeCap}. Decided and sent under the sending lock, so two callers waiting on the same nonce (a deposit's
   * wait and the claim round) never both replace the same transaction. A bump the cap forbids, or one the node
   * refuses, starts the wait again.
   */
  Bump replaceIfWaited(BigInteger nonce, Duration replaceAfter, Optional<BigInteger> maxFeeCap) {
    Optional<SentTransactions.AtNonce> seen = sent.at(nonce);
    if (seen.isEmpty() || clock.instant().isBefore(seen.get().lastBroadcast().plus(replaceAfter))) {
      // Asked at every poll of a wait: not due is answered without queueing behind a send for the lock.
      return new Bump(Bump.Status.NOT_DUE, seen, Optional.empty(), Optional.empty());
    }
    sending.lock();
    try {
      Optional<SentTransactions.AtNonce> at = sent.at(nonce);
      Instant now = clock.instant();
      if (at.isEmpty() || now.isBefore(at.get().lastBroadcast().plus(replaceAfter))) {
        return new Bump(Bump.Status.NOT_DUE, at, Optional.empty(), Optional.empty());
      }
      Optional<Pending> stuck = newestPending(at.get().hashes());
      if (stuck.isEmpty()) {
        return new Bump(Bump.Status.NOT_PENDING, at, Optional.empty(), Optional.empty());
      }
      Optional<Replacement> r;
      try {
        r = replace(stuck.get(), maxFeeCap, at.get().purpose(), hash -> {});
      } catch (RuntimeException e) {
        sent.waitAgain(nonce, now);
        throw e;
      }
      if (r.isEmpty()) {
        sent.waitAgain(nonce, now);
        return new Bump(Bump.Status.CAPPED, at, stuck, Optional.empty());
      }
      return new Bump(Bump.Status.REPLACED, at, stuck, r);
    } finally {
      sending.unlock();
    }
  }

  /** What {@link #replaceIfWaited} did, with what it found at the nonce, the stuck transaction and its replacement. */
  record Bump(Status status, Optional<SentTransactions.AtNonce> at, Optional<Pending> stuck,
      Optional<Replacement> replacement) {
    enum Status {
      /** Nothing known at the nonce, or its newest transaction has not waited long enough. */
      NOT_DUE,
      /** None of its transactions is waiting in the node's pool any more (mined meanwhile, or dropped). */
      NOT_PENDING,
      /** The smallest valid bump would exceed the fee cap: nothing sent, the wait starts again. */
      CAPPED,
      REPLACED
    }
  }

  private Optional<Pending> newestPending(List<String> hashes) {
    for (String hash : hashes.reversed()) {
      Optional<Pending> p = pending(hash);
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  /** The receipt, if the transaction is mined. */
  public Optional<TransactionReceipt> receipt(String hash) {
    return rpc("eth_getTransactionReceipt", () -> web3j.ethGetTransactionReceipt(hash).send()).getTransactionReceipt();
  }

  /** Whether the node knows the transaction at all (pending or mined); false means it was dropped or never sent. */
  public boolean known(String hash) {
    return rpc("eth_getTransactionByHash", () -> web3j.ethGetTransactionByHash(hash).send()).getTransaction()
        .isPresent();
  }

  /**
   * Waits until the transaction is mined and {@code confirmations} more blocks are on top; empty when
   * {@code timeout} passes first (the transaction may still land: callers keep its hash).
   */
  public Optional<TransactionReceipt> await(String hash, int confirmations, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<TransactionReceipt> r = receipt(hash);
      if (r.isPresent() && buried(r.get(), confirmations)) {
        return r;
      }
      if (System.nanoTime() > deadline) {
        return Optional.empty();
      }
      try {
        Thread.sleep(pollInterval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  /** Whether {@code confirmations} blocks are on top of the block that mined {@code receipt}. */
  boolean buried(TransactionReceipt receipt, int confirmations) {
    long mined = receipt.getBlockNumber().longValueExact();
    long head = rpc("eth_blockNumber", () -> web3j.ethBlockNumber().send()).getBlockNumber().longValueExact();
    return head - mined >= confirmations;
  }

  /** Now, on the clock that times broadcasts. */
  Instant now() {
    return clock.instant();
  }

  /** How often waits ask for receipts. */
  Duration pollInterval() {
    return pollInterval;
  }

  /** Why a mined transaction failed, from the transaction as the chain holds it (works after a restart too). */
  public String revertReasonOf(TransactionReceipt receipt) {
    Optional<org.web3j.protocol.core.methods.response.Transaction> tx = rpc("eth_getTransactionByHash",
        () -> web3j.ethGetTransactionByHash(receipt.getTransactionHash()).send()).getTransaction();
    return tx.map(t -> revertReasonOf(receipt, t.getTo(), t.getInput())).orElse("reverted (transaction not found)");
  }

  /**
   * Why a mined transaction failed: replays it as a call, first on the state after its block (which includes
   * whatever ran before it in that block), then on the state before it. Without a tracer this is the best
   * reconstruction; it names the contract error in the usual cases (a conflicting transaction got in first).
   */
  String revertReasonOf(TransactionReceipt receipt, String to, String data) {
    long block = receipt.getBlockNumber().longValueExact();
    for (long at : new long[] {block, block - 1}) {
      try {
        EthCall call = web3j.ethCall(Transaction.createEthCallTransaction(key.getAddress(), to, data),
            SettlementChain.at(at)).send();
        if (call.hasError()) {
          Object d = call.getError().getData();
          return d != null ? SettlementChain.revertReason(String.valueOf(d)) : call.getError().getMessage();
        }
      } catch (java.io.IOException e) {
        return "reverted (reason unavailable: " + e.getMessage() + ")";
      }
    }
    return receipt.getRevertReason() != null ? receipt.getRevertReason()
        : "reverted (out of gas, or state changed before inclusion)";
  }

}
