package io.infergate.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.client.channel.ChainChannels;
import io.infergate.client.channel.ChannelRecord;
import io.infergate.client.channel.ChannelTerms;
import io.infergate.client.store.ChannelStore;
import io.infergate.contracts.deploy.ContractDeployer;
import io.infergate.contracts.deploy.DeployOptions;
import io.infergate.contracts.deploy.DeployedContracts;
import io.infergate.contracts.devchain.DevChain;
import io.infergate.contracts.generated.DevUsd;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.Eip712Domain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * On a real anvil with the real contracts: a direct deposit from the payer's own wallet, then the timed
 * withdrawal through the CLI ({@code withdraw} twice around the delay), with {@code status} reading the chain.
 */
class ChainWithdrawCliTest {
  @TempDir Path dir;

  @Test
  void directDepositThenInitiateAndFinalizeWithdrawAfterTheDelay() throws Exception {
    try (DevChain chain = DevChain.start()) {
      DeployedContracts contracts;
      Credentials payerWallet = chain.devAccount(2);
      BigInteger amount = BigInteger.valueOf(5_000_000);
      try (ContractDeployer deployer = ContractDeployer.create(chain.rpcUrl(), chain.devAccount(0), DeployOptions.devChain())) {
        contracts = deployer.deployAll();
        deployer.mintDevTokens(contracts, payerWallet.getAddress(), amount);
      }
      PrivateKey payer = PrivateKey.parse(Numeric.toHexStringWithPrefixZeroPadded(payerWallet.getEcKeyPair().getPrivateKey(), 64));
      Address contract = Address.parse(contracts.batchSettlement());
      ChannelTerms terms = new ChannelTerms("eip155:" + chain.chainId(), PrivateKey.random().address(),
          Address.parse(contracts.token()), Address.parse(chain.devAccount(1).getAddress()), 900);
      ChannelConfig config = terms.config(payer.address(), payer.address(), 0);
      var id = BatchSettlementTypedData.channelId(Eip712Domain.batchSettlement(chain.chainId(), contract), config);
      Path storeFile = dir.resolve("client.db");

      try (ChainChannels onChain = ChainChannels.connect(chain.rpcUrl(), chain.chainId(), contract,
          Address.parse(contracts.erc3009Collector()), payer); ChannelStore store = ChannelStore.open(storeFile)) {
        ChainChannels.OnChain s = onChain.deposit(config, "Infergate Dev USD", "1", BigInteger.valueOf(3_000_000));
        assertEquals(BigInteger.valueOf(3_000_000), s.balance(), "deposited on chain by the payer itself");
        store.create(id, config, chain.chainId(), contract, 0);
      }

      Map<String, String> env = Map.of("PAYER_KEY", payer.toHex());
      String[] common = {"--store", storeFile.toString(), "--key-env", "PAYER_KEY", "--rpc", chain.rpcUrl(),
          "--chain-id", String.valueOf(chain.chainId()), "--contract", contracts.batchSettlement(),
          "--node-json", dir.resolve("absent.json").toString()};
      String status = cli(env, concat(new String[] {"status"}, common));
      assertTrue(status.contains("chain balance 3000000 claimed 0"), status);

      String started = cli(env, concat(new String[] {"withdraw", id.toString()}, common));
      assertTrue(started.contains("withdrawal of 3000000 started"), started);
      String early = cli(env, concat(new String[] {"withdraw", id.toString()}, common));
      assertTrue(early.contains("withdrawal pending"), early);
      assertTrue(cli(env, concat(new String[] {"status"}, common)).contains("withdrawal 3000000 pending until"));

      chain.advanceTime(900);
      String finished = cli(env, concat(new String[] {"withdraw", id.toString()}, common));
      assertTrue(finished.contains("3000000 returned to the payer; balance now 0"), finished);
      assertEquals(amount, DevUsd.load(contracts.token(), chain.web3j(), payerWallet, new DefaultGasProvider())
          .balanceOf(payerWallet.getAddress()).send(), "all tokens back in the payer's wallet");
      assertTrue(cli(env, concat(new String[] {"status"}, common)).contains("chain balance 0 claimed 0"));
      try (ChannelStore store = ChannelStore.open(storeFile)) {
        ChannelRecord ch = store.find(id).orElseThrow();
        assertEquals(BigInteger.ZERO, ch.balance(), "the store follows the chain");
      }
    }
  }

  static String cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ClientCommand.run(env, new PrintWriter(out), new PrintWriter(err), args);
    assertEquals(0, code, "exit code; stderr: " + err);
    return out.toString();
  }

  static String[] concat(String[] a, String[] b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
