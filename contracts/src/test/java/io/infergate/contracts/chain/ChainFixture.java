package io.infergate.contracts.chain;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.infergate.contracts.deploy.ContractDeployer;
import io.infergate.contracts.deploy.DeployOptions;
import io.infergate.contracts.deploy.DeployedContracts;
import io.infergate.contracts.devchain.DevChain;
import io.infergate.contracts.eip712.Eip712Domain;
import io.infergate.contracts.eip712.X402TypedData;
import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.contracts.generated.DevUsd;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import org.web3j.abi.CustomErrorEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.CustomError;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.DynamicEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * A dev chain with Infergate's contracts deployed at the canonical x402 addresses, and the parties of a channel:
 * the facilitator (deployer, account 0, also the token minter), the receiver authorizer (account 1), the payer
 * (account 2), a fresh payer session key, and a receiver address.
 */
public final class ChainFixture implements AutoCloseable {
    public static final BigInteger WITHDRAW_DELAY = BigInteger.valueOf(900);

    public final DevChain chain;
    public final Web3j web3j;
    public final DeployedContracts contracts;
    public final Credentials facilitator;
    public final Credentials receiverAuthorizer;
    public final Credentials payer;
    public final Credentials session;
    public final String receiver;
    public final Eip712Domain channelDomain;
    public final Eip712Domain tokenDomain;

    private final SecureRandom random = new SecureRandom();

    public ChainFixture() {
        chain = DevChain.start();
        web3j = chain.web3j();
        facilitator = chain.devAccount(0);
        receiverAuthorizer = chain.devAccount(1);
        payer = chain.devAccount(2);
        session = freshKey();
        receiver = Keys.toChecksumAddress(freshKey().getAddress());
        try (ContractDeployer deployer = ContractDeployer.create(chain.rpcUrl(), facilitator, DeployOptions.devChain())) {
            contracts = deployer.deployAll();
        }
        channelDomain = X402TypedData.batchSettlementDomain(chain.chainId(), contracts.batchSettlement());
        tokenDomain = new Eip712Domain("Infergate Dev USD", "1", chain.chainId(), contracts.token());
    }

    public Credentials freshKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Credentials.create(Numeric.toHexStringNoPrefix(key));
    }

    public TransactionManager txManager(Credentials who) {
        return new RawTransactionManager(web3j, who, chain.chainId(),
                new PollingTransactionReceiptProcessor(web3j, 20, 1500));
    }

    public ContractGasProvider gas() {
        return new DynamicEIP1559GasProvider(web3j, chain.chainId());
    }

    public BatchSettlement settlementAs(Credentials who) {
        return BatchSettlement.load(contracts.batchSettlement(), web3j, txManager(who), gas());
    }

    public DevUsd tokenAs(Credentials who) {
        return DevUsd.load(contracts.token(), web3j, txManager(who), gas());
    }

    public BatchSettlement.ChannelConfig config(byte[] salt) {
        return new BatchSettlement.ChannelConfig(payer.getAddress(), session.getAddress(), receiver,
                receiverAuthorizer.getAddress(), contracts.token(), WITHDRAW_DELAY, salt);
    }

    public static byte[] salt(long n) {
        return Numeric.toBytesPadded(BigInteger.valueOf(n), 32);
    }

    public byte[] channelId(BatchSettlement.ChannelConfig c) {
        return X402TypedData.channelId(channelDomain, new X402TypedData.ChannelConfig(c.payer, c.payerAuthorizer,
                c.receiver, c.receiverAuthorizer, c.token, c.withdrawDelay.longValueExact(), c.salt));
    }

    /** The collector data a payer's wallet produces for an ERC-3009 deposit into {@code c}. */
    public String erc3009CollectorData(BatchSettlement.ChannelConfig c, BigInteger amount, BigInteger salt,
            Credentials from) {
        BigInteger validBefore = BigInteger.valueOf(chainTime() + 3600);
        byte[] nonce = X402TypedData.depositNonce(channelId(c), salt);
        byte[] digest = X402TypedData.receiveWithAuthorizationDigest(tokenDomain, from.getAddress(),
                contracts.erc3009Collector(), amount, BigInteger.ZERO, validBefore, nonce);
        byte[] signature = X402TypedData.sign(digest, from);
        return collectorData(BigInteger.ZERO, validBefore, salt, signature);
    }

    @SuppressWarnings("rawtypes") // web3j's encoder takes a raw List<Type>
    public static String collectorData(BigInteger validAfter, BigInteger validBefore, BigInteger salt, byte[] sig) {
        List<Type> words = List.of(new Uint256(validAfter), new Uint256(validBefore), new Uint256(salt),
                new DynamicBytes(sig));
        return "0x" + FunctionEncoder.encodeConstructor(words);
    }

    /** Mints to the payer and deposits through the ERC-3009 collector, submitted by the facilitator. */
    public void deposit(BatchSettlement.ChannelConfig c, BigInteger amount) throws Exception {
        tokenAs(facilitator).mint(payer.getAddress(), amount).send();
        BigInteger salt = new BigInteger(64, random);
        settlementAs(facilitator).deposit(c, amount, contracts.erc3009Collector(),
                Numeric.hexStringToByteArray(erc3009CollectorData(c, amount, salt, payer))).send();
    }

    public BatchSettlement.VoucherClaim voucherClaim(BatchSettlement.ChannelConfig c, BigInteger max,
            BigInteger claimed, Credentials signer) {
        byte[] sig = X402TypedData.sign(X402TypedData.voucherDigest(channelDomain, channelId(c), max), signer);
        return new BatchSettlement.VoucherClaim(new BatchSettlement.Voucher(c, max), sig, claimed);
    }

    public long chainTime() {
        try {
            return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
                    .getTimestamp().longValueExact();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public BigInteger balanceOf(String who) throws Exception {
        return tokenAs(facilitator).balanceOf(who).send();
    }

    /** Asserts that {@code data} sent to {@code to} by {@code from} reverts with exactly {@code expected}. */
    public void assertReverts(CustomError expected, String from, String to, String data) throws IOException {
        EthCall call = web3j.ethCall(Transaction.createEthCallTransaction(from, to, data),
                DefaultBlockParameterName.LATEST).send();
        String selector = CustomErrorEncoder.encode(expected).substring(0, 10);
        if (!call.hasError()) fail("expected revert " + expected.getName() + " but the call succeeded");
        String revertData = String.valueOf(call.getError().getData()).replace("\"", "");
        assertTrue(revertData.startsWith(selector), "expected " + expected.getName() + " (" + selector
                + ") but got " + call.getError().getMessage() + " data=" + revertData);
    }

    @Override
    public void close() {
        chain.close();
    }
}
