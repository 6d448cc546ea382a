package io.infergate.contracts.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.contracts.deploy.CanonicalX402Addresses;
import io.infergate.contracts.deploy.ContractDeployer;
import io.infergate.contracts.deploy.DeployOptions;
import io.infergate.contracts.deploy.DeployedContracts;
import io.infergate.contracts.devchain.DevChain;
import io.infergate.contracts.devchain.DevChainOptions;
import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.contracts.generated.DevUsd;
import io.infergate.contracts.generated.Erc3009DepositCollector;
import io.infergate.contracts.toolchain.Toolchain;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

class DeploymentTest {

    @Test
    void devChainDeploymentSitsAtTheCanonicalX402Addresses() throws Exception {
        try (DevChain chain = DevChain.start();
                ContractDeployer deployer = ContractDeployer.create(chain.rpcUrl(), chain.devAccount(0),
                        DeployOptions.devChain())) {
            DeployedContracts d = deployer.deployAll();
            assertEquals(31337, d.chainId());
            assertEquals("eip155:31337", d.network());
            assertEquals(CanonicalX402Addresses.BATCH_SETTLEMENT, d.batchSettlement());
            assertEquals(CanonicalX402Addresses.ERC3009_DEPOSIT_COLLECTOR, d.erc3009Collector());

            var ro = new ReadonlyTransactionManager(chain.web3j(), d.batchSettlement());
            BatchSettlement settlement = BatchSettlement.load(d.batchSettlement(), chain.web3j(), ro, new DefaultGasProvider());
            var domain = settlement.eip712Domain().send();
            assertEquals("x402 Batch Settlement", domain.component2());
            assertEquals("1", domain.component3());
            assertEquals(BigInteger.valueOf(31337), domain.component4());
            assertEquals(d.batchSettlement().toLowerCase(), domain.component5().toLowerCase(), "verifyingContract");

            Erc3009DepositCollector collector = Erc3009DepositCollector.load(d.erc3009Collector(), chain.web3j(), ro,
                    new DefaultGasProvider());
            assertEquals(d.batchSettlement().toLowerCase(), collector.batchSettlement().send().toLowerCase(),
                    "collector forwards to the canonical settlement contract");

            DevUsd token = DevUsd.load(d.token(), chain.web3j(), ro, new DefaultGasProvider());
            assertEquals(BigInteger.valueOf(6), token.decimals().send());
            String consumer = chain.devAccount(9).getAddress();
            deployer.mintDevTokens(d, consumer, BigInteger.valueOf(5_000_000));
            assertEquals(BigInteger.valueOf(5_000_000), token.balanceOf(consumer).send(), "dev consumer funded");
            for (String a : new String[] {d.receiptAnchor(), d.serviceRegistry(), d.token()}) {
                String code = chain.web3j().ethGetCode(a, DefaultBlockParameterName.LATEST).send().getCode();
                assertTrue(code.length() > 2, "code at " + a);
            }
        }
    }

    @Test
    void realChainModeUsesTheGivenAssetAndCreatedAddresses() {
        try (DevChain chain = DevChain.start(Toolchain.locate(), DevChainOptions.defaults().withChainId(84532))) {
            String usdc = chain.devAccount(5).getAddress(); // stands in for an existing asset
            try (ContractDeployer deployer = ContractDeployer.create(chain.rpcUrl(), chain.devAccount(0),
                    DeployOptions.realChain(usdc))) {
                DeployedContracts d = deployer.deployAll();
                assertEquals(84532, d.chainId());
                assertEquals(usdc.toLowerCase(), d.token().toLowerCase());
                assertNotEquals(CanonicalX402Addresses.BATCH_SETTLEMENT, d.batchSettlement());
            }
        }
    }

    @Test
    void realChainModeNeedsAnAsset() {
        assertThrows(IllegalArgumentException.class, () -> DeployOptions.realChain(" "));
    }
}
