package io.infergate.host.payments.chain;

import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.contracts.generated.DevUsd;
import io.infergate.contracts.generated.Erc3009DepositCollector;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.eip712.Eip712Domain;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.web3j.abi.CustomErrorEncoder;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.CustomError;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint128;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint40;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * The node's read access to one {@code BatchSettlement} contract: head block, event logs, and the channel and
 * receiver views read at an exact block (so a mirror is always "the state as of block N", never a mix).
 * Reads of several channels travel in one JSON-RPC batch. Every RPC failure is a {@link ChainRpcException}.
 */
public final class SettlementChain {
  /** The contract's events the watcher follows (everything that changes a channel or a receiver's totals). */
  static final List<Event> EVENTS = List.of(BatchSettlement.CHANNELCREATED_EVENT, BatchSettlement.CHANNELCLOSED_EVENT,
      BatchSettlement.DEPOSITED_EVENT, BatchSettlement.CLAIMED_EVENT, BatchSettlement.SETTLED_EVENT,
      BatchSettlement.REFUNDED_EVENT, BatchSettlement.WITHDRAWINITIATED_EVENT, BatchSettlement.WITHDRAWFINALIZED_EVENT);

  private static final Map<String, String> ERRORS_BY_SELECTOR = knownErrors();

  private final Web3j web3j;
  private final long chainId;
  private final String contract;
  private final Eip712Domain domain;

  private SettlementChain(Web3j web3j, long chainId, String contract) {
    this.web3j = web3j;
    this.chainId = chainId;
    this.contract = Address.parse(contract).toLowerHex();
    this.domain = Eip712Domain.batchSettlement(chainId, Address.parse(contract));
  }

  /** The contract at {@code contract} on the chain {@code web3j} talks to; {@code chainId} is checked once. */
  public static SettlementChain connect(Web3j web3j, String contract) {
    Objects.requireNonNull(web3j, "web3j");
    Objects.requireNonNull(contract, "contract");
    long chainId = rpc("eth_chainId", () -> web3j.ethChainId().send()).getChainId().longValueExact();
    return new SettlementChain(web3j, chainId, contract);
  }

  /**
   * The contract on chain {@code chainId} as configured, without asking the chain: for a node that must start
   * while its RPC is down (it keeps serving known channels; the watcher reports the outage).
   */
  public static SettlementChain configured(Web3j web3j, long chainId, String contract) {
    return new SettlementChain(Objects.requireNonNull(web3j, "web3j"), chainId, Objects.requireNonNull(contract, "contract"));
  }

  public Web3j web3j() {
    return web3j;
  }

  public long chainId() {
    return chainId;
  }

  /** The contract address, lower-case hex. */
  public String contract() {
    return contract;
  }

  /** The contract's EIP-712 domain (channel ids, vouchers, claim batches). */
  public Eip712Domain domain() {
    return domain;
  }

  public long headBlock() {
    return rpc("eth_blockNumber", () -> web3j.ethBlockNumber().send()).getBlockNumber().longValueExact();
  }

  /** The block's hash and timestamp, or null if the chain has no such block (yet, or any more). */
  public BlockRef block(long number) {
    EthBlock.Block b = rpc("eth_getBlockByNumber",
        () -> web3j.ethGetBlockByNumber(at(number), false).send()).getBlock();
    return b == null ? null : new BlockRef(number, b.getHash(), b.getTimestamp().longValueExact());
  }

  /** A block's identity, for reorg checks and chain time. */
  public record BlockRef(long number, String hash, long timestamp) {}

  public BigInteger gasPrice() {
    return rpc("eth_gasPrice", () -> web3j.ethGasPrice().send()).getGasPrice();
  }

  /** Every event of the contract in {@code [from, to]}, in chain order. */
  public List<Log> logs(long from, long to) {
    EthFilter filter = new EthFilter(at(from), at(to), contract);
    filter.addOptionalTopics(EVENTS.stream().map(EventEncoder::encode).toArray(String[]::new));
    EthLog result = rpc("eth_getLogs", () -> web3j.ethGetLogs(filter).send());
    List<Log> out = new ArrayList<>();
    for (EthLog.LogResult<?> r : result.getLogs()) {
      out.add((Log) r.get());
    }
    return out;
  }

  /** {@code channels}, {@code pendingWithdrawals} and {@code refundNonce} of each channel as of {@code block}. */
  public Map<String, OnChainChannel> channels(Collection<String> channelIds, long block) {
    List<String> ids = List.copyOf(channelIds);
    Map<String, OnChainChannel> out = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    List<Function> calls = new ArrayList<>();
    for (String id : ids) {
      Bytes32 key = new Bytes32(Numeric.hexStringToByteArray(id));
      calls.add(view("channels", key, new TypeReference<Uint128>() {}, new TypeReference<Uint128>() {}));
      calls.add(view("pendingWithdrawals", key, new TypeReference<Uint128>() {}, new TypeReference<Uint40>() {}));
      calls.add(view("refundNonce", key, new TypeReference<Uint256>() {}));
    }
    List<List<Type>> results = callAll(calls, block);
    for (int i = 0; i < ids.size(); i++) {
      List<Type> ch = results.get(3 * i);
      List<Type> wd = results.get(3 * i + 1);
      List<Type> nonce = results.get(3 * i + 2);
      out.put(ids.get(i), new OnChainChannel(num(ch, 0), num(ch, 1), num(wd, 0), num(wd, 1).longValueExact(),
          num(nonce, 0)));
    }
    return out;
  }

  /** {@code receivers(receiver, token)} as of {@code block}: {@code [totalClaimed, totalSettled]}. */
  public BigInteger[] receiverTotals(String receiver, String token, long block) {
    Function f = new Function("receivers", List.of(new org.web3j.abi.datatypes.Address(receiver),
        new org.web3j.abi.datatypes.Address(token)),
        List.of(new TypeReference<Uint128>() {}, new TypeReference<Uint128>() {}));
    List<Type> r = callAll(List.of(f), block).getFirst();
    return new BigInteger[] {num(r, 0), num(r, 1)};
  }

  /** One channel's on-chain state (the three views of the contract). */
  public record OnChainChannel(BigInteger balance, BigInteger totalClaimed, BigInteger withdrawAmount,
      long withdrawInitiatedAt, BigInteger refundNonce) {}

  private static Function view(String name, Bytes32 key, TypeReference<?>... outputs) {
    return new Function(name, List.of(key), List.of(outputs));
  }

  private List<List<Type>> callAll(List<Function> calls, long block) {
    BatchRequest batch = web3j.newBatch();
    for (Function f : calls) {
      batch.add(web3j.ethCall(Transaction.createEthCallTransaction(null, contract, FunctionEncoder.encode(f)),
          at(block)));
    }
    List<? extends Response<?>> responses = rpc("eth_call (batch of " + calls.size() + ")", batch::send).getResponses();
    if (responses.size() != calls.size()) {
      throw new ChainRpcException("eth_call batch answered " + responses.size() + " of " + calls.size() + " calls");
    }
    List<List<Type>> out = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      EthCall r = (EthCall) responses.get(i);
      if (r.hasError() || r.getValue() == null || r.getValue().length() <= 2) {
        throw new ChainRpcException(calls.get(i).getName() + " at block " + block + " failed: "
            + (r.hasError() ? r.getError().getMessage() : "empty result (is " + contract + " the contract?)"));
      }
      out.add(FunctionReturnDecoder.decode(r.getValue(), calls.get(i).getOutputParameters()));
    }
    return out;
  }

  private static BigInteger num(List<Type> values, int i) {
    return (BigInteger) values.get(i).getValue();
  }

  static DefaultBlockParameter at(long block) {
    return DefaultBlockParameter.valueOf(BigInteger.valueOf(block));
  }

  /** Runs one RPC, turning transport failures and JSON-RPC errors into {@link ChainRpcException}. */
  static <R extends Response<?>> R rpc(String what, RpcCall<R> call) {
    R response;
    try {
      response = call.send();
    } catch (IOException e) {
      throw new ChainRpcException(what + " failed: " + e.getMessage(), e);
    }
    if (response.hasError()) {
      throw new ChainRpcException(what + " failed: " + response.getError().getMessage());
    }
    return response;
  }

  /** Batch responses are not a {@link Response}; same error handling. */
  static org.web3j.protocol.core.BatchResponse rpc(String what, BatchCall call) {
    try {
      return call.send();
    } catch (IOException e) {
      throw new ChainRpcException(what + " failed: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  interface RpcCall<R> {
    R send() throws IOException;
  }

  @FunctionalInterface
  interface BatchCall {
    org.web3j.protocol.core.BatchResponse send() throws IOException;
  }

  /**
   * A readable revert reason from revert data: the custom error's name for the contracts' own errors (and the
   * dev token's), {@code Error(string)} text, or the raw selector.
   */
  static String revertReason(String revertData) {
    if (revertData == null) {
      return "no revert data";
    }
    String data = revertData.replace("\"", "").trim();
    if (data.length() < 10) {
      return "reverted without a reason";
    }
    String selector = data.substring(0, 10).toLowerCase(java.util.Locale.ROOT);
    if (selector.equals("0x08c379a0")) {
      List<Type> text = FunctionReturnDecoder.decode("0x" + data.substring(10),
          List.of((TypeReference) new TypeReference<org.web3j.abi.datatypes.Utf8String>() {}));
      return text.isEmpty() ? "Error(?)" : "Error(\"" + text.getFirst().getValue() + "\")";
    }
    return ERRORS_BY_SELECTOR.getOrDefault(selector, "unknown error " + selector);
  }

  private static Map<String, String> knownErrors() {
    Map<String, String> out = new HashMap<>();
    for (Class<?> c : List.of(BatchSettlement.class, Erc3009DepositCollector.class, DevUsd.class,
        io.infergate.contracts.generated.ReceiptAnchor.class, io.infergate.contracts.generated.ServiceRegistry.class)) {
      for (Field f : c.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == CustomError.class) {
          try {
            CustomError e = (CustomError) f.get(null);
            out.put(CustomErrorEncoder.encode(e).substring(0, 10).toLowerCase(java.util.Locale.ROOT), e.getName());
          } catch (IllegalAccessException ignored) {
            // public static fields are always readable
          }
        }
      }
    }
    return Map.copyOf(out);
  }
}
