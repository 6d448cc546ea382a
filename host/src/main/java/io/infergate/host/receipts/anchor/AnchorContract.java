package io.infergate.host.receipts.anchor;

import io.infergate.contracts.generated.ReceiptAnchor;
import io.infergate.host.payments.chain.ChainRpcException;
import io.infergate.host.payments.chain.TransactionSender;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.web3j.abi.CustomErrorEncoder;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import io.infergate.contracts.logs.LogRangeRefusedException;
import io.infergate.contracts.logs.LogReader;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

/**
 * One receipt stream ({@code provider}, {@code signer}) on one {@code ReceiptAnchor} contract: the
 * {@code commit} call's encoding, the commitment views, the {@code ReceiptsCommitted} event, and the sender that
 * signs commits with the receipt key (the contract requires {@code msg.sender} to be the stream's signer). Every
 * RPC failure is a {@link ChainRpcException}.
 */
public final class AnchorContract {
  private static final String SEQ_NOT_COMMITTED = CustomErrorEncoder.encode(ReceiptAnchor.SEQNOTCOMMITTED_ERROR)
      .substring(0, 10).toLowerCase(Locale.ROOT);

  private final Web3j web3j;
  private final long chainId;
  private final Address anchor;
  private final Address provider;
  private final TransactionSender sender;
  private final Address signer;
  private final ReceiptAnchor encoder;

  private AnchorContract(Web3j web3j, long chainId, Address anchor, Address provider, TransactionSender sender) {
    this.web3j = web3j;
    this.chainId = chainId;
    this.anchor = anchor;
    this.provider = provider;
    this.sender = sender;
    this.signer = Address.parse(sender.address());
    this.encoder = ReceiptAnchor.load(anchor.toChecksumString(), web3j,
        new ReadonlyTransactionManager(web3j, sender.address()), new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO));
  }

  /**
   * The stream of receipts {@code sender}'s key signs for {@code provider}, anchored at {@code anchor} on chain
   * {@code chainId} (as configured; not asked from the chain, so a node can start while its RPC is down).
   */
  public static AnchorContract of(Web3j web3j, long chainId, Address anchor, Address provider, TransactionSender sender) {
    return new AnchorContract(Objects.requireNonNull(web3j, "web3j"), chainId, Objects.requireNonNull(anchor, "anchor"),
        Objects.requireNonNull(provider, "provider"), Objects.requireNonNull(sender, "sender"));
  }

  /** One commitment as the contract stores it, with its position in the stream. */
  public record OnChain(long index, Bytes32 root, long firstSeq, long lastSeq, long committedAt) {
    boolean sameAs(Bytes32 otherRoot, long otherFirst, long otherLast) {
      return root.equals(otherRoot) && firstSeq == otherFirst && lastSeq == otherLast;
    }
  }

  /** Where a commitment's transaction landed. */
  public record Landed(long index, String transaction, long blockNumber) {}

  public Address anchor() {
    return anchor;
  }

  public Address provider() {
    return provider;
  }

  /** The receipt key: the stream's signer and the account that pays the commits' gas. */
  public Address signer() {
    return signer;
  }

  public long chainId() {
    return chainId;
  }

  TransactionSender sender() {
    return sender;
  }

  /** The calldata of {@code commit(provider, root, firstSeq, lastSeq)}. */
  String commitCall(Bytes32 root, long firstSeq, long lastSeq) {
    return encoder.commit(provider.toChecksumString(), root.toBytes(), BigInteger.valueOf(firstSeq),
        BigInteger.valueOf(lastSeq)).encodeFunctionCall();
  }

  /** {@code commitmentCount(provider, signer)}. */
  public long count() {
    List<Type> r = call(new Function("commitmentCount", List.of(addr(provider), addr(signer)),
        List.of(new TypeReference<Uint256>() {}))).orElseThrow(() -> new ChainRpcException(
        "commitmentCount reverted; is " + anchor + " a ReceiptAnchor?"));
    return ((BigInteger) r.getFirst().getValue()).longValueExact();
  }

  /** The stream's last commitment, if any. */
  public Optional<OnChain> latest() {
    long n = count();
    if (n == 0) {
      return Optional.empty();
    }
    List<Type> r = call(new Function("commitmentAt", List.of(addr(provider), addr(signer), new Uint256(n - 1)),
        commitmentOutputs(false))).orElseThrow(() -> new ChainRpcException("commitmentAt(" + (n - 1) + ") reverted"));
    return Optional.of(commitment(r, n - 1));
  }

  /** {@code commitmentFor(provider, signer, seq)}: the commitment covering {@code seq}, empty if none does. */
  public Optional<OnChain> covering(long seq) {
    return call(new Function("commitmentFor", List.of(addr(provider), addr(signer), new Uint64(seq)),
        commitmentOutputs(true))).map(r -> commitment(r, ((BigInteger) r.get(4).getValue()).longValueExact()));
  }

  /** The {@code ReceiptsCommitted} event of {@code receipt} for this stream and range. */
  Optional<Long> committedIndex(TransactionReceipt receipt, Bytes32 root, long firstSeq, long lastSeq) {
    return ReceiptAnchor.getReceiptsCommittedEvents(receipt).stream()
        .filter(e -> e.log != null && anchor.toLowerHex().equalsIgnoreCase(e.log.getAddress()))
        .filter(e -> provider.toLowerHex().equalsIgnoreCase(e.provider) && signer.toLowerHex().equalsIgnoreCase(e.signer)
            && Bytes32.of(e.root).equals(root) && e.firstSeq.longValueExact() == firstSeq
            && e.lastSeq.longValueExact() == lastSeq)
        .map(e -> e.index.longValueExact()).findFirst();
  }

  /**
   * The transaction that put {@code c} on chain, found by its {@code ReceiptsCommitted} event (stream and root are
   * indexed, so the node filters them); empty if the node no longer serves logs that old.
   */
  Optional<Landed> landed(OnChain c) {
    List<Log> logs;
    try {
      // From block 0, split into ranges the provider accepts (public RPCs cap eth_getLogs spans).
      logs = new LogReader(web3j).readToHead(0, (from, to) -> {
        EthFilter filter = new EthFilter(from, to, anchor.toLowerHex());
        filter.addSingleTopic(EventEncoder.encode(ReceiptAnchor.RECEIPTSCOMMITTED_EVENT));
        filter.addSingleTopic(topic(provider));
        filter.addSingleTopic(topic(signer));
        filter.addSingleTopic(c.root().toString());
        return filter;
      });
    } catch (IOException e) {
      throw new ChainRpcException("eth_getLogs (ReceiptsCommitted) failed: " + e.getMessage(), e);
    } catch (LogRangeRefusedException e) {
      return Optional.empty();
    }
    for (Log log : logs) {
      ReceiptAnchor.ReceiptsCommittedEventResponse e = ReceiptAnchor.getReceiptsCommittedEventFromLog(log);
      if (e.index.longValueExact() == c.index()) {
        return Optional.of(new Landed(c.index(), log.getTransactionHash(), log.getBlockNumber().longValueExact()));
      }
    }
    return Optional.empty();
  }

  private Optional<List<Type>> call(Function f) {
    EthCall r;
    try {
      r = web3j.ethCall(Transaction.createEthCallTransaction(signer.toLowerHex(), anchor.toLowerHex(),
          FunctionEncoder.encode(f)), DefaultBlockParameterName.LATEST).send();
    } catch (IOException e) {
      throw new ChainRpcException(f.getName() + " on " + anchor + " failed: " + e.getMessage(), e);
    }
    if (r.hasError()) {
      Object data = r.getError().getData();
      if (data != null && String.valueOf(data).replace("\"", "").toLowerCase(Locale.ROOT).startsWith(SEQ_NOT_COMMITTED)) {
        return Optional.empty();
      }
      throw new ChainRpcException(f.getName() + " on " + anchor + " failed: " + r.getError().getMessage());
    }
    if (r.getValue() == null || r.getValue().length() <= 2) {
      throw new ChainRpcException(f.getName() + " answered nothing; is " + anchor + " the ReceiptAnchor contract on"
          + " chain " + chainId + "?");
    }
    return Optional.of(FunctionReturnDecoder.decode(r.getValue(), f.getOutputParameters()));
  }

  private static List<TypeReference<?>> commitmentOutputs(boolean withIndex) {
    List<TypeReference<?>> out = new java.util.ArrayList<>(List.of(new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {},
        new TypeReference<Uint64>() {}, new TypeReference<Uint64>() {}, new TypeReference<Uint64>() {}));
    if (withIndex) {
      out.add(new TypeReference<Uint256>() {});
    }
    return out;
  }

  private static OnChain commitment(List<Type> r, long index) {
    return new OnChain(index, Bytes32.of((byte[]) r.get(0).getValue()), num(r, 1), num(r, 2), num(r, 3));
  }

  private static long num(List<Type> r, int i) {
    return ((BigInteger) r.get(i).getValue()).longValueExact();
  }

  private static org.web3j.abi.datatypes.Address addr(Address a) {
    return new org.web3j.abi.datatypes.Address(a.toLowerHex());
  }

  private static String topic(Address a) {
    return Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(a.toLowerHex()), 64);
  }
}
