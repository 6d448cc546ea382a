package io.infergate.host.payments.chain;

import static io.infergate.host.payments.chain.SettlementChain.rpc;

import java.math.BigInteger;
import java.time.Duration;
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
 * the chain's pending count at that moment, so a transaction that was signed but never broadcast leaves no gap.
 */
public final class TransactionSender {
  /** Gas headroom over the estimate: state can move between simulation and inclusion. */
  private static final BigInteger GAS_HEADROOM_PERCENT = BigInteger.valueOf(125);

  private final Web3j web3j;
  private final long chainId;
  private final Credentials key;
  private final Duration pollInterval;
  private final ReentrantLock sending = new ReentrantLock();

  private TransactionSender(Web3j web3j, long chainId, Credentials key, Duration pollInterval) {
    this.web3j = web3j;
    this.chainId = chainId;
    this.key = key;
    this.pollInterval = pollInterval;
  }

  /**
   * The sender for the node's facilitator key on {@code chain}; create one per key and share it (deposits and
   * claims), so its nonces never race. {@code receiptPollInterval} is how often receipts are asked for.
   */
  public static TransactionSender create(SettlementChain chain, Credentials facilitator, Duration receiptPollInterval) {
    return new TransactionSender(chain.web3j(), chain.chainId(), java.util.Objects.requireNonNull(facilitator,
        "facilitator"), java.util.Objects.requireNonNull(receiptPollInterval, "receiptPollInterval"));
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
        "receiptPollInterval"));
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
    sending.lock();
    try {
      BigInteger nonce = rpc("eth_getTransactionCount",
          () -> web3j.ethGetTransactionCount(key.getAddress(), DefaultBlockParameterName.PENDING).send())
          .getTransactionCount();
      EthBlock.Block latest = rpc("eth_getBlockByNumber",
          () -> web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send()).getBlock();
      BigInteger tip = rpc("eth_maxPriorityFeePerGas", () -> web3j.ethMaxPriorityFeePerGas().send())
          .getMaxPriorityFeePerGas();
      BigInteger baseFee = Optional.ofNullable(latest.getBaseFeePerGas()).orElse(BigInteger.ZERO);
      BigInteger maxFee = baseFee.shiftLeft(1).add(tip);
      RawTransaction tx = RawTransaction.createTransaction(chainId, nonce, gasLimit, to, BigInteger.ZERO, data,
          tip, maxFee);
      byte[] signed = TransactionEncoder.signMessage(tx, key);
      String hash = Numeric.toHexString(Hash.sha3(signed));
      beforeBroadcast.accept(hash);
      EthSendTransaction sent = rpc("eth_sendRawTransaction",
          () -> web3j.ethSendRawTransaction(Numeric.toHexString(signed)).send());
      if (!hash.equalsIgnoreCase(sent.getTransactionHash())) {
        throw new ChainRpcException("the node answered transaction hash " + sent.getTransactionHash()
            + " for " + hash + "; refusing to guess which one is real");
      }
      return hash;
    } finally {
      sending.unlock();
    }
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
      if (r.isPresent()) {
        long mined = r.get().getBlockNumber().longValueExact();
        long head = rpc("eth_blockNumber", () -> web3j.ethBlockNumber().send()).getBlockNumber().longValueExact();
        if (head - mined >= confirmations) {
          return r;
        }
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
