package io.infergate.host.receipts.anchor;

import io.infergate.contracts.deploy.ContractDeployer;
import io.infergate.contracts.deploy.DeployOptions;
import io.infergate.contracts.deploy.DeployedContracts;
import io.infergate.contracts.devchain.DevChain;
import io.infergate.contracts.generated.ReceiptAnchor;
import io.infergate.contracts.generated.ServiceRegistry;
import io.infergate.host.payments.chain.TransactionSender;
import io.infergate.host.receipts.ReceiptLog;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.PrivateKey;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * A real anvil with Infergate's contracts: the provider (dev account 0) registers services whose receipt signer
 * is a fresh, funded key per test (so each test has its own receipt stream on the one ReceiptAnchor).
 */
final class AnchorTestbed implements AutoCloseable {
  final DevChain chain;
  final DeployedContracts contracts;
  final Credentials providerCredentials;
  final Address provider;
  private final ContractDeployer deployer;

  AnchorTestbed() {
    chain = DevChain.start();
    providerCredentials = chain.devAccount(0);
    provider = Address.parse(providerCredentials.getAddress());
    deployer = ContractDeployer.create(chain.rpcUrl(), providerCredentials, DeployOptions.devChain());
    contracts = deployer.deployAll();
  }

  Address anchor() {
    return Address.parse(contracts.receiptAnchor());
  }

  /** A fresh receipt key with 1 ETH for gas (operators fund theirs). */
  PrivateKey receiptKey() {
    PrivateKey k = PrivateKey.random();
    chain.fund(k.address().toChecksumString(), BigInteger.TEN.pow(18));
    return k;
  }

  /** Registers a service of the provider whose receipt signer is {@code key}. */
  void register(PrivateKey key) throws Exception {
    ServiceRegistry registry = ServiceRegistry.load(contracts.serviceRegistry(), chain.web3j(),
        new RawTransactionManager(chain.web3j(), providerCredentials, chain.chainId(),
            new PollingTransactionReceiptProcessor(chain.web3j(), 20, 1500)), new DefaultGasProvider());
    registry.register(new ServiceRegistry.ServiceTerms("svc-" + key.address().toLowerHex(), "bafy-plugin",
        List.of("bafy-model"), BigInteger.ONE, contracts.token(), provider.toChecksumString(),
        provider.toChecksumString(), "http://127.0.0.1:8080", key.address().toChecksumString())).send();
  }

  TransactionSender sender(PrivateKey key, Web3j web3j) {
    return TransactionSender.create(web3j, chain.chainId(), Credentials.create(key.exportSecretHex()), Duration.ofMillis(20));
  }

  AnchorContract contract(PrivateKey key) {
    return contract(key, chain.web3j());
  }

  AnchorContract contract(PrivateKey key, Web3j web3j) {
    return AnchorContract.of(web3j, chain.chainId(), anchor(), provider, sender(key, web3j));
  }

  ReceiptAnchorer anchorer(ReceiptLog log, PrivateKey key, AnchorOptions options, Clock clock, AnchorMetrics m) {
    return ReceiptAnchorer.create(log, contract(key), options, clock, m);
  }

  /** The contract as a verifier reads it (no key). */
  ReceiptAnchor reader() {
    return ReceiptAnchor.load(contracts.receiptAnchor(), chain.web3j(),
        new ReadonlyTransactionManager(chain.web3j(), provider.toChecksumString()),
        new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO));
  }

  /** The contract as {@code key} sends to it directly (to stage what another journal with that key would do). */
  ReceiptAnchor as(PrivateKey key) {
    return ReceiptAnchor.load(contracts.receiptAnchor(), chain.web3j(), new RawTransactionManager(chain.web3j(),
        Credentials.create(key.exportSecretHex()), chain.chainId(), new PollingTransactionReceiptProcessor(chain.web3j(), 20,
        1500)), new DefaultGasProvider());
  }

  void rpc(String method, Object... params) {
    chain.rpc(method, params);
  }


  @Override
  public void close() {
    deployer.close();
    chain.close();
  }
}
