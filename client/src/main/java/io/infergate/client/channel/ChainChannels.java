package io.infergate.client.channel;

import io.infergate.client.ClientException;
import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.wire.Deposit;
import java.io.IOException;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.DynamicEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tuples.generated.Tuple2;

/**
 * The payer's side of the channel contract, on chain through web3j: direct deposits (the payer submits and pays
 * the gas), the timed withdrawal ({@code initiateWithdraw}, then {@code finalizeWithdraw} after the delay) and
 * the {@code channels(id)} / {@code pendingWithdrawals(id)} views.
 *
 * <pre>{@code
 * try (ChainChannels chain = ChainChannels.connect("http://127.0.0.1:8545", 31337, contract, collector, payerKey)) {
 *   chain.deposit(config, tokenName, tokenVersion, BigInteger.valueOf(1_000_000));
 *   OnChain s = chain.read(channelId);
 * }
 * }</pre>
 */
public final class ChainChannels implements AutoCloseable {
  private final Web3j web3j;
  private final long chainId;
  private final Address contract;
  private final Address collector;
  private final PrivateKey payer;
  private final BatchSettlement settlement;

  /**
   * A channel as the contract holds it.
   *
   * @param balance escrowed
   * @param totalClaimed claimed by the receiver so far
   * @param pendingWithdrawal the amount of a timed withdrawal in progress, 0 when none
   * @param withdrawInitiatedAt unix seconds it started, 0 when none
   * @param chainTime the latest block's timestamp when read
   */
  public record OnChain(BigInteger balance, BigInteger totalClaimed, BigInteger pendingWithdrawal,
      long withdrawInitiatedAt, long chainTime) {
    /** True when a withdrawal started and its delay has run out by {@code chainTime}. */
    public boolean withdrawalReady(long withdrawDelay) {
      return withdrawInitiatedAt != 0 && chainTime >= withdrawInitiatedAt + withdrawDelay;
    }
  }

  private ChainChannels(Web3j web3j, long chainId, Address contract, Address collector, PrivateKey payer) {
    this.web3j = web3j;
    this.chainId = chainId;
    this.contract = contract;
    this.collector = collector;
    this.payer = payer;
    Credentials credentials = Credentials.create(payer.toHex());
    this.settlement = BatchSettlement.load(contract.toString(), web3j,
        new RawTransactionManager(web3j, credentials, chainId, new PollingTransactionReceiptProcessor(web3j, 100, 600)),
        new DynamicEIP1559GasProvider(web3j, chainId));
  }

  /** Connects to the chain at {@code rpcUrl}; transactions are signed by {@code payer}, who pays their gas. */
  public static ChainChannels connect(String rpcUrl, long chainId, Address contract, Address collector, PrivateKey payer) {
    return new ChainChannels(Web3j.build(new HttpService(rpcUrl)), chainId, contract, collector, payer);
  }

  public Address contract() {
    return contract;
  }

  public long chainId() {
    return chainId;
  }

  /**
   * Deposits {@code amount} of the channel's token, pulled from the payer by the ERC-3009 collector with an
   * authorization signed here; the payer sends the transaction itself (no node involved).
   */
  public OnChain deposit(ChannelConfig config, String tokenName, String tokenVersion, BigInteger amount) {
    Eip712Domain tokenDomain = Eip712Domain.create(tokenName, tokenVersion, chainId, config.token());
    Bytes32 channelId = io.infergate.x402.eip712.BatchSettlementTypedData.channelId(
        Eip712Domain.batchSettlement(chainId, contract), config);
    Deposit.Erc3009Authorization a = DepositAuthorizations.erc3009(payer, tokenDomain, collector, channelId, amount,
        chainTime() + 3600);
    run("deposit " + amount + " into channel " + channelId, () -> settlement.deposit(wrapper(config), amount,
        collector.toString(), DepositAuthorizations.collectorData(a)).send());
    return read(channelId);
  }

  /** Starts the timed withdrawal of {@code amount} (at most the unclaimed balance). */
  public OnChain initiateWithdraw(ChannelConfig config, Bytes32 channelId, BigInteger amount) {
    run("initiateWithdraw on channel " + channelId, () -> settlement.initiateWithdraw(wrapper(config), amount).send());
    return read(channelId);
  }

  /** Completes a withdrawal whose delay has run out; the unclaimed part goes back to the payer. */
  public OnChain finalizeWithdraw(ChannelConfig config, Bytes32 channelId) {
    run("finalizeWithdraw on channel " + channelId, () -> settlement.finalizeWithdraw(wrapper(config)).send());
    return read(channelId);
  }

  /** The channel's on-chain state ({@code channels(id)}, {@code pendingWithdrawals(id)}). */
  public OnChain read(Bytes32 channelId) {
    return run("read channel " + channelId, () -> {
      Tuple2<BigInteger, BigInteger> c = settlement.channels(channelId.toBytes()).send();
      Tuple2<BigInteger, BigInteger> w = settlement.pendingWithdrawals(channelId.toBytes()).send();
      return new OnChain(c.component1(), c.component2(), w.component1(), w.component2().longValueExact(), chainTime());
    });
  }

  private long chainTime() {
    try {
      return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp()
          .longValueExact();
    } catch (IOException e) {
      throw new ClientException("cannot read the chain's latest block: " + e.getMessage()
          + "; check --rpc and that the chain is running", e);
    }
  }

  private static BatchSettlement.ChannelConfig wrapper(ChannelConfig c) {
    return new BatchSettlement.ChannelConfig(c.payer().toString(), c.payerAuthorizer().toString(),
        c.receiver().toString(), c.receiverAuthorizer().toString(), c.token().toString(),
        BigInteger.valueOf(c.withdrawDelay()), c.salt().toBytes());
  }

  private interface ChainCall<T> {
    T call() throws Exception;
  }

  private static <T> T run(String what, ChainCall<T> call) {
    try {
      return call.call();
    } catch (ClientException e) {
      throw e;
    } catch (Exception e) {
      throw new ClientException("cannot " + what + ": " + e.getMessage()
          + " (check --rpc, the contract address, and that the payer has gas and tokens)", e);
    }
  }

  @Override
  public void close() {
    web3j.shutdown();
  }
}
