package io.infergate.bench.payments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.client.channel.DepositAuthorizations;
import io.infergate.contracts.deploy.ContractDeployer;
import io.infergate.contracts.deploy.DeployOptions;
import io.infergate.contracts.deploy.DeployedContracts;
import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.host.payments.chain.DevNetwork;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.wire.Deposit;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The dev chain behind the x402 reference peer of {@code bench/peer}: anvil with Infergate's contracts at the
 * canonical x402 addresses ({@link DevNetwork}), and one funded channel per load-generator client, deposited on
 * chain through the ERC-3009 collector, so that the reference facilitator finds real balances when it reads
 * the chain. The channels are {@link BenchChannels#channel(int, Address, Address, Address, long, long)}: the
 * same consumer keys and salts the load generator derives, towards the dev provider (receiver) and the dev
 * receiver authorizer.
 *
 * <pre>
 * PeerChain &lt;peer-chain.json&gt; &lt;channels&gt;
 * </pre>
 * Writes the chain's coordinates and the dev keys the peer needs (anvil's well-known dev keys only) to the
 * JSON file, prints {@code peer chain ready}, and keeps anvil running until the process is stopped
 * (SIGTERM/SIGINT).
 */
public final class PeerChain {
  /** The peer's withdraw delay: {@link DevNetwork}'s, and the x402 minimum. */
  public static final long WITHDRAW_DELAY = 900;
  /** Escrow per channel: 10^12 atomic units (1,000,000 dev USD), a billion calls at the bench price. */
  public static final BigInteger DEPOSIT = BigInteger.TEN.pow(12);

  private PeerChain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: PeerChain <peer-chain.json> <channels>");
    }
    Path out = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    DevNetwork net = DevNetwork.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      net.close();
      stopped.countDown();
    }, "peer-chain-stop"));
    try {
      fund(net, n);
    } catch (RuntimeException e) {
      System.err.println("peer chain: funding the channels failed: " + e.getMessage());
      throw e;
    }
    DeployedContracts c = net.contracts();
    ObjectNode json = new ObjectMapper().createObjectNode()
        .put("rpcUrl", net.rpcUrl())
        .put("chainId", net.chainId())
        .put("network", "eip155:" + net.chainId())
        .put("batchSettlement", c.batchSettlement())
        .put("erc3009Collector", c.erc3009Collector())
        .put("token", c.token())
        .put("tokenName", DevNetwork.TOKEN_NAME)
        .put("tokenVersion", DevNetwork.TOKEN_VERSION)
        .put("payTo", net.provider().address().toChecksumString())
        .put("receiverAuthorizer", net.receiverAuthorizer().address().toChecksumString())
        .put("withdrawDelay", WITHDRAW_DELAY)
        .put("channels", n)
        .put("deposit", DEPOSIT.toString())
        // anvil's public dev keys: the facilitator pays gas from the provider account, the authorizer signs claims
        .put("facilitatorKey", net.provider().exportSecretHex())
        .put("receiverAuthorizerKey", net.receiverAuthorizer().exportSecretHex());
    Files.writeString(out, json.toPrettyString());
    System.out.println("peer chain ready: " + net.rpcUrl() + ", " + n + " channels funded with " + DEPOSIT + " each");
    System.out.flush();
    stopped.await();
  }

  /** Mints to each consumer and deposits {@link #DEPOSIT} into its channel, then checks the contract agrees. */
  static void fund(DevNetwork net, int n) throws Exception {
    DeployedContracts c = net.contracts();
    Address token = Address.parse(c.token());
    Address payTo = net.provider().address();
    Address authorizer = net.receiverAuthorizer().address();
    Eip712Domain tokenDomain = Eip712Domain.create(DevNetwork.TOKEN_NAME, DevNetwork.TOKEN_VERSION, net.chainId(), token);
    try (ContractDeployer provider = ContractDeployer.create(net.rpcUrl(), net.chain().devAccount(0),
        DeployOptions.devChain())) {
      BatchSettlement settlement = BatchSettlement.load(c.batchSettlement(), provider.web3j(),
          provider.transactionManager(), provider.gasProvider());
      long validBefore = System.currentTimeMillis() / 1000 + 3600;
      for (int i = 0; i < n; i++) {
        BenchChannels.Channel ch = BenchChannels.channel(i, payTo, authorizer, token, WITHDRAW_DELAY, net.chainId());
        provider.mintDevTokens(c, ch.consumer().address().toString(), DEPOSIT);
        Deposit.Erc3009Authorization auth = DepositAuthorizations.erc3009(ch.consumer(), tokenDomain,
            Address.parse(c.erc3009Collector()), ch.id(), DEPOSIT, validBefore);
        var receipt = settlement.deposit(web3(ch.config()), DEPOSIT, c.erc3009Collector(),
            DepositAuthorizations.collectorData(auth)).send();
        if (!receipt.isStatusOK()) {
          throw new IllegalStateException("deposit into channel " + i + " reverted: " + receipt.getTransactionHash());
        }
        byte[] onChainId = settlement.getChannelId(web3(ch.config())).send();
        if (!Arrays.equals(onChainId, ch.id().toBytes())) {
          throw new IllegalStateException("channel " + i + ": the contract's id differs from the load generator's "
              + ch.idHex());
        }
        BigInteger balance = settlement.channels(onChainId).send().component1();
        if (!balance.equals(DEPOSIT)) {
          throw new IllegalStateException("channel " + i + " holds " + balance + " after depositing " + DEPOSIT);
        }
      }
    }
  }

  private static BatchSettlement.ChannelConfig web3(ChannelConfig k) {
    return new BatchSettlement.ChannelConfig(k.payer().toString(), k.payerAuthorizer().toString(),
        k.receiver().toString(), k.receiverAuthorizer().toString(), k.token().toString(),
        BigInteger.valueOf(k.withdrawDelay()), k.salt().toBytes());
  }
}
