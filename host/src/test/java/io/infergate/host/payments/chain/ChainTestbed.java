package io.infergate.host.payments.chain;

import io.infergate.contracts.deploy.ContractDeployer;
import io.infergate.contracts.deploy.DeployOptions;
import io.infergate.contracts.deploy.DeployedContracts;
import io.infergate.contracts.devchain.DevChain;
import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.contracts.generated.DevUsd;
import io.infergate.host.payments.ledger.ChannelLease;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.ChannelState;
import io.infergate.host.payments.ledger.ChargeResult;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.eip712.Erc3009;
import io.infergate.x402.wire.Deposit;
import io.infergate.x402.wire.SchemePayload.DepositPayload;
import io.infergate.x402.wire.SignedVoucher;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.DynamicEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * A real anvil with Infergate's contracts at the canonical x402 addresses, and the node's parties: the
 * facilitator (dev account 0: pays gas, mints dev tokens) and the receiver authorizer (dev account 1). Consumers
 * are fresh keys that sign ERC-3009 deposits and vouchers with the x402 module, as a wallet would.
 */
final class ChainTestbed implements AutoCloseable {
  static final long WITHDRAW_DELAY = 900;
  private static final AtomicLong SALTS = new AtomicLong(System.nanoTime());

  final DevChain chain;
  final DeployedContracts contracts;
  final Credentials facilitator;
  final PrivateKey receiverAuthorizer;
  final SettlementChain settlement;
  final TransactionSender sender;
  final Eip712Domain tokenDomain;
  private final ContractDeployer deployer;

  ChainTestbed() {
    chain = DevChain.start();
    facilitator = chain.devAccount(0);
    receiverAuthorizer = PrivateKey.parse(chain.devPrivateKeys().get(1));
    deployer = ContractDeployer.create(chain.rpcUrl(), facilitator, DeployOptions.devChain());
    contracts = deployer.deployAll();
    settlement = SettlementChain.connect(chain.web3j(), contracts.batchSettlement());
    sender = TransactionSender.create(settlement, facilitator, Duration.ofMillis(20));
    tokenDomain = Eip712Domain.create("Infergate Dev USD", "1", chain.chainId(), Address.parse(contracts.token()));
  }

  /** A channel of {@code consumer} paying {@code receiver}; the consumer also signs its vouchers. */
  ChannelConfig channel(PrivateKey consumer, Address receiver) {
    return new ChannelConfig(consumer.address(), consumer.address(), receiver, receiverAuthorizer.address(),
        Address.parse(contracts.token()), WITHDRAW_DELAY, Bytes32.of(salt()));
  }

  String channelId(ChannelConfig c) {
    return BatchSettlementTypedData.channelId(settlement.domain(), c).toString();
  }

  void mint(Address to, BigInteger amount) {
    deployer.mintDevTokens(contracts, to.toChecksumString(), amount);
  }

  /** The x402 deposit payload a wallet sends: ERC-3009 authorization to the collector, plus a first voucher. */
  DepositPayload depositPayload(PrivateKey consumer, ChannelConfig c, BigInteger amount) {
    Bytes32 id = BatchSettlementTypedData.channelId(settlement.domain(), c);
    Bytes32 depositSalt = Bytes32.of(salt());
    BigInteger validBefore = BigInteger.valueOf(chainTime() + 3600);
    Erc3009.ReceiveWithAuthorization auth = new Erc3009.ReceiveWithAuthorization(consumer.address(),
        Address.parse(contracts.erc3009Collector()), amount, BigInteger.ZERO, validBefore,
        Erc3009.depositNonce(id, depositSalt));
    String sig = consumer.sign(Erc3009.receiveWithAuthorizationDigest(tokenDomain, auth)).toHex();
    BigInteger firstMax = BigInteger.ONE;
    SignedVoucher voucher = new SignedVoucher(id, firstMax,
        consumer.sign(BatchSettlementTypedData.voucherDigest(settlement.domain(), id, firstMax)).toHex());
    return new DepositPayload(c, voucher, new Deposit(amount,
        new Deposit.Erc3009Authorization(BigInteger.ZERO, validBefore, depositSalt, sig), null));
  }

  /** What the gate does after a paid call: commit the charge with a voucher for {@code max} under a lease. */
  static void charge(ChannelLedger ledger, Eip712Domain domain, PrivateKey consumer, String channelId,
      BigInteger amount, BigInteger headroom) {
    ChannelLease lease = ledger.acquire(channelId, "test-gate", Duration.ofSeconds(30));
    try {
      ChannelState s = ledger.get(channelId).orElseThrow();
      BigInteger charged = s.chargedCumulativeAmount().add(amount);
      BigInteger max = charged.add(headroom);
      byte[] sig = consumer.sign(BatchSettlementTypedData.voucherDigest(domain, Bytes32.parse(channelId), max))
          .toBytes();
      ChargeResult r = ledger.recordCharge(lease, s.version(), charged, max, sig);
      if (!(r instanceof ChargeResult.Committed)) {
        throw new AssertionError("charge refused: " + r);
      }
    } finally {
      ledger.release(lease);
    }
  }

  BatchSettlement settlementAs(Credentials who) {
    return BatchSettlement.load(contracts.batchSettlement(), chain.web3j(), new RawTransactionManager(chain.web3j(),
        who, chain.chainId(), new PollingTransactionReceiptProcessor(chain.web3j(), 20, 1500)),
        new DynamicEIP1559GasProvider(chain.web3j(), chain.chainId()));
  }

  BigInteger tokenBalance(Address who) throws Exception {
    return DevUsd.load(contracts.token(), chain.web3j(), deployer.transactionManager(), deployer.gasProvider())
        .balanceOf(who.toChecksumString()).send();
  }

  /** A consumer key with ETH for its own transactions (withdrawals). */
  PrivateKey consumer() {
    PrivateKey k = PrivateKey.random();
    chain.fund(k.address().toChecksumString(), BigInteger.TEN.pow(18));
    return k;
  }

  static Credentials credentials(PrivateKey k) {
    return Credentials.create(k.toHex());
  }

  long chainTime() {
    try {
      return chain.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
          .getTimestamp().longValueExact();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  Instant chainInstant() {
    return Instant.ofEpochSecond(chainTime());
  }

  private static byte[] salt() {
    return padded(SALTS.incrementAndGet());
  }

  private static byte[] padded(long n) {
    byte[] out = new byte[32];
    for (int i = 0; i < 8; i++) {
      out[31 - i] = (byte) (n >>> (8 * i));
    }
    return out;
  }


  @Override
  public void close() {
    deployer.close();
    chain.close();
  }
}
