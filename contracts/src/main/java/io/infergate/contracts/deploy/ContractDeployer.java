package io.infergate.contracts.deploy;

import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.contracts.generated.DevMulticall;
import io.infergate.contracts.generated.DevUsd;
import io.infergate.contracts.generated.Erc3009DepositCollector;
import io.infergate.contracts.generated.ReceiptAnchor;
import io.infergate.contracts.generated.ServiceRegistry;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.DynamicEIP1559GasProvider;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Deploys Infergate's five contracts to a chain and returns their addresses.
 *
 * <pre>{@code
 * try (ContractDeployer deployer = ContractDeployer.create(rpcUrl, deployerKey, DeployOptions.devChain())) {
 *     DeployedContracts contracts = deployer.deployAll();
 * }
 * }</pre>
 *
 * <p>Canonical placement (dev chains): the BatchSettlement code is deployed normally and copied to
 * {@link CanonicalX402Addresses#BATCH_SETTLEMENT}; the collector is deployed with the <em>canonical</em>
 * BatchSettlement address as its immutable and copied to {@link CanonicalX402Addresses#ERC3009_DEPOSIT_COLLECTOR}.
 * Both contracts keep nothing in storage that their constructors set (domain data and the collector's target are
 * immutables, i.e. code), so the copies behave exactly like fresh deployments at those addresses. If the chain has
 * no Multicall3, a {@code DevMulticall} goes to {@link CanonicalX402Addresses#MULTICALL3}, because x402
 * facilitators read channel state through it.
 */
public final class ContractDeployer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContractDeployer.class);

    private final Web3jService rpc;
    private final boolean ownsRpc;
    private final Web3j web3j;
    private final Credentials deployer;
    private final DeployOptions options;
    private final long chainId;
    private final TransactionManager transactions;
    private final ContractGasProvider gas;

    private ContractDeployer(Web3jService rpc, boolean ownsRpc, Web3j web3j, Credentials deployer,
            DeployOptions options, long chainId) {
        this.rpc = rpc;
        this.ownsRpc = ownsRpc;
        this.web3j = web3j;
        this.deployer = deployer;
        this.options = options;
        this.chainId = chainId;
        long pollMillis = Math.max(1, options.receiptPollInterval().toMillis());
        int attempts = (int) Math.max(1, options.receiptTimeout().toMillis() / pollMillis);
        this.transactions = new RawTransactionManager(web3j, deployer, chainId,
                new PollingTransactionReceiptProcessor(web3j, pollMillis, attempts));
        DynamicEIP1559GasProvider dynamic = new DynamicEIP1559GasProvider(web3j, chainId);
        dynamic.setMaxGasLimit(options.maxGasLimit());
        this.gas = dynamic;
    }

    /** A deployer for the JSON-RPC endpoint {@code rpcUrl}, signing with {@code deployer}; close it when done. */
    public static ContractDeployer create(String rpcUrl, Credentials deployer, DeployOptions options) {
        Objects.requireNonNull(rpcUrl, "rpcUrl");
        return create(new HttpService(rpcUrl), true, deployer, options);
    }

    /** A deployer over an existing RPC connection, which stays the caller's to close. */
    public static ContractDeployer create(Web3jService rpc, Credentials deployer, DeployOptions options) {
        return create(rpc, false, deployer, options);
    }

    private static ContractDeployer create(Web3jService rpc, boolean owns, Credentials deployer,
            DeployOptions options) {
        Objects.requireNonNull(rpc, "rpc");
        Objects.requireNonNull(deployer, "deployer");
        Objects.requireNonNull(options, "options");
        Web3j web3j = Web3j.build(rpc);
        try {
            long chainId = web3j.ethChainId().send().getChainId().longValueExact();
            return new ContractDeployer(rpc, owns, web3j, deployer, options, chainId);
        } catch (IOException e) {
            throw new DeploymentFailure("cannot reach the chain RPC to read its chain id: " + e.getMessage(), e);
        }
    }

    public long chainId() {
        return chainId;
    }

    /** The transaction manager this deployer signs with, for callers that send further transactions. */
    public TransactionManager transactionManager() {
        return transactions;
    }

    public ContractGasProvider gasProvider() {
        return gas;
    }

    /** Deploys everything (see the class comment for canonical placement). */
    public DeployedContracts deployAll() {
        String token = options.existingToken() != null
                ? Keys.toChecksumAddress(options.existingToken())
                : step("DevUsd", () -> DevUsd.deploy(web3j, transactions, gas, deployer.getAddress()).send())
                        .getContractAddress();
        String settlement = step("BatchSettlement", () -> BatchSettlement.deploy(web3j, transactions, gas).send())
                .getContractAddress();
        String collectorTarget = options.canonicalX402Addresses() ? CanonicalX402Addresses.BATCH_SETTLEMENT : settlement;
        String collector = step("Erc3009DepositCollector",
                        () -> Erc3009DepositCollector.deploy(web3j, transactions, gas, collectorTarget).send())
                .getContractAddress();
        String registry = step("ServiceRegistry", () -> ServiceRegistry.deploy(web3j, transactions, gas).send())
                .getContractAddress();
        String anchor = step("ReceiptAnchor", () -> ReceiptAnchor.deploy(web3j, transactions, gas, registry).send())
                .getContractAddress();

        if (options.canonicalX402Addresses()) {
            if (codeAt(CanonicalX402Addresses.MULTICALL3).length() <= 2) {
                String multicall = step("DevMulticall", () -> DevMulticall.deploy(web3j, transactions, gas).send())
                        .getContractAddress();
                copyCode(multicall, CanonicalX402Addresses.MULTICALL3);
            }
            copyCode(settlement, CanonicalX402Addresses.BATCH_SETTLEMENT);
            copyCode(collector, CanonicalX402Addresses.ERC3009_DEPOSIT_COLLECTOR);
            settlement = CanonicalX402Addresses.BATCH_SETTLEMENT;
            collector = CanonicalX402Addresses.ERC3009_DEPOSIT_COLLECTOR;
        }
        DeployedContracts deployed = new DeployedContracts(chainId, Keys.toChecksumAddress(settlement),
                Keys.toChecksumAddress(collector), Keys.toChecksumAddress(token), Keys.toChecksumAddress(anchor),
                Keys.toChecksumAddress(registry));
        LOG.info("deployed Infergate contracts on chain {}: {}", chainId, deployed);
        return deployed;
    }

    private String codeAt(String address) {
        try {
            return web3j.ethGetCode(address, DefaultBlockParameterName.LATEST).send().getCode();
        } catch (IOException e) {
            throw new DeploymentFailure("cannot read code at " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Mints dev tokens to {@code to} (e.g. the dev consumer of {@code ./infergate dev}). Only works with the
     * {@code DevUsd} this deployer deployed (it is the minter) and only on chain ids 31337 and 1337.
     */
    public void mintDevTokens(DeployedContracts contracts, String to, BigInteger amount) {
        step("DevUsd.mint", () -> DevUsd.load(contracts.token(), web3j, transactions, gas).mint(to, amount).send());
    }

    /** Copies the runtime code at {@code from} to {@code to} with {@code anvil_setCode} and checks it landed. */
    private void copyCode(String from, String to) {
        try {
            String code = codeAt(from);
            Response<?> set = new Request<>("anvil_setCode", List.of(to, code), rpc, SetCodeResponse.class).send();
            if (set.hasError()) {
                throw new DeploymentFailure("anvil_setCode to " + to + " rejected (canonical x402 addresses need a dev"
                        + " chain such as anvil; use DeployOptions.realChain on other chains): "
                        + set.getError().getMessage());
            }
            String placed = web3j.ethGetCode(to, DefaultBlockParameterName.LATEST).send().getCode();
            if (!code.equalsIgnoreCase(placed)) throw new DeploymentFailure("code at " + to + " differs after anvil_setCode");
        } catch (IOException e) {
            throw new DeploymentFailure("cannot copy code to " + to + ": " + e.getMessage(), e);
        }
    }

    /** Response of {@code anvil_setCode}, whose result is empty. */
    public static final class SetCodeResponse extends Response<Object> {}

    /** The web3j client this deployer talks through. */
    public Web3j web3j() {
        return web3j;
    }

    @Override
    public void close() {
        if (ownsRpc) web3j.shutdown();
    }

    private <T> T step(String what, CheckedSupplier<T> action) {
        try {
            return action.get();
        } catch (Exception e) {
            throw new DeploymentFailure("deploying " + what + " failed on chain " + chainId + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface CheckedSupplier<T> {
        T get() throws Exception;
    }
}
