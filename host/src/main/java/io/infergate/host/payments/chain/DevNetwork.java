package io.infergate.host.payments.chain;

import io.infergate.contracts.deploy.ContractDeployer;
import io.infergate.contracts.deploy.DeployOptions;
import io.infergate.contracts.deploy.DeployedContracts;
import io.infergate.contracts.devchain.DevChain;
import io.infergate.x402.crypto.PrivateKey;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import io.infergate.contracts.generated.ServiceRegistry;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * A complete local payment network for {@code ./infergate dev} and end-to-end tests: anvil, the contracts
 * deployed (BatchSettlement and the ERC-3009 collector at the canonical x402 addresses, so stock x402
 * clients work), and four dev accounts: the provider (deploys, pays gas as facilitator, is paid, registers the
 * services), the receiver authorizer (signs claims), a consumer funded with dev USD, and the receipt signer
 * (signs inference receipts; registered as each service's receiptSigner). Dev keys only.
 */
public final class DevNetwork implements AutoCloseable {
  /** What the consumer is funded with: 1,000 dev USD (6 decimals). */
  public static final BigInteger CONSUMER_FUNDS = BigInteger.valueOf(1_000_000_000L);
  public static final String TOKEN_NAME = "Infergate Dev USD";
  public static final String TOKEN_VERSION = "1";

  private final DevChain chain;
  private final DeployedContracts contracts;
  private final PrivateKey provider;
  private final PrivateKey receiverAuthorizer;
  private final PrivateKey consumer;
  private final PrivateKey receiptSigner;

  private DevNetwork(DevChain chain, DeployedContracts contracts, PrivateKey provider, PrivateKey receiverAuthorizer,
      PrivateKey consumer, PrivateKey receiptSigner) {
    this.receiptSigner = receiptSigner;
    this.chain = chain;
    this.contracts = contracts;
    this.provider = provider;
    this.receiverAuthorizer = receiverAuthorizer;
    this.consumer = consumer;
  }

  /** Starts anvil, deploys everything and funds the consumer. */
  public static DevNetwork start() {
    DevChain chain = DevChain.start();
    try {
      PrivateKey provider = key(chain.devAccount(0));
      PrivateKey authorizer = key(chain.devAccount(1));
      PrivateKey consumer = key(chain.devAccount(2));
      PrivateKey receiptSigner = key(chain.devAccount(3));
      DeployedContracts contracts;
      try (ContractDeployer deployer = ContractDeployer.create(chain.rpcUrl(), chain.devAccount(0), DeployOptions.devChain())) {
        contracts = deployer.deployAll();
        deployer.mintDevTokens(contracts, consumer.address().toString(), CONSUMER_FUNDS);
      }
      return new DevNetwork(chain, contracts, provider, authorizer, consumer, receiptSigner);
    } catch (RuntimeException e) {
      chain.close();
      throw e;
    }
  }

  private static PrivateKey key(Credentials c) {
    return PrivateKey.parse(org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(c.getEcKeyPair().getPrivateKey(), 64));
  }

  public String rpcUrl() {
    return chain.rpcUrl();
  }

  public long chainId() {
    return chain.chainId();
  }

  public DeployedContracts contracts() {
    return contracts;
  }

  public PrivateKey provider() {
    return provider;
  }

  public PrivateKey receiverAuthorizer() {
    return receiverAuthorizer;
  }

  public PrivateKey consumer() {
    return consumer;
  }

  /** The key that signs the node's inference receipts (not the provider's: a receipt key is for receipts only). */
  public PrivateKey receiptSigner() {
    return receiptSigner;
  }

  public DevChain chain() {
    return chain;
  }

  /**
   * Registers a served service in the {@code ServiceRegistry} as its provider (the dev provider account):
   * name, plugin and model content IDs, price, asset, payee, receiver authorizer, endpoint and receipt
   * signer, so consumers and verifiers can discover it on chain.
   */
  public void register(String name, String pluginContentId, List<String> modelContentIds, BigInteger maxPricePerCall,
      String endpoint) {
    Credentials providerCredentials = chain.devAccount(0);
    ServiceRegistry registry = ServiceRegistry.load(contracts.serviceRegistry(), chain.web3j(),
        new RawTransactionManager(chain.web3j(), providerCredentials, chain.chainId()), new DefaultGasProvider());
    try {
      registry.register(new ServiceRegistry.ServiceTerms(name, pluginContentId, modelContentIds, maxPricePerCall,
          contracts.token(), provider.address().toString(), receiverAuthorizer.address().toString(), endpoint,
          receiptSigner.address().toString())).send();
    } catch (Exception e) {
      throw new IllegalStateException("registering '" + name + "' in the ServiceRegistry failed: " + e.getMessage(), e);
    }
  }

  /** Node configuration that turns payments on against this network. */
  public Map<String, String> nodeConfig() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("payments.enabled", "true");
    c.put("payments.chain-id", Long.toString(chainId()));
    c.put("payments.rpc-url", rpcUrl());
    c.put("payments.batch-settlement", contracts.batchSettlement());
    c.put("payments.erc3009-collector", contracts.erc3009Collector());
    c.put("payments.asset", contracts.token());
    c.put("payments.asset-name", TOKEN_NAME);
    c.put("payments.asset-version", TOKEN_VERSION);
    c.put("payments.pay-to", provider.address().toString());
    c.put("payments.receiver-authorizer", receiverAuthorizer.address().toString());
    c.put("payments.withdraw-delay-seconds", "900");
    c.put("payments.chain-poll-ms", "200");
    c.put("payments.claims.tick-ms", "1000");
    c.put("receipts.enabled", "true");
    c.put("receipts.anchor", contracts.receiptAnchor());
    c.put("receipts.registry", contracts.serviceRegistry());
    c.put("receipts.provider", provider.address().toString());
    c.put("receipts.anchoring.interval-ms", "5000");   // dev: proofs within seconds, not the minute of a real node
    return c;
  }

  /** The environment variables that carry the node's keys (never written to config). */
  public Map<String, String> nodeEnvironment() {
    return Map.of("INFERGATE_FACILITATOR_KEY", provider.exportSecretHex(),
        "INFERGATE_RECEIVER_AUTHORIZER_KEY", receiverAuthorizer.exportSecretHex(),
        "INFERGATE_RECEIPT_SIGNER_KEY", receiptSigner.exportSecretHex());
  }

  @Override
  public void close() {
    chain.close();
  }
}
