package io.infergate.client.receipts;

import io.infergate.contracts.deploy.ContractDeployer;
import io.infergate.contracts.deploy.DeployOptions;
import io.infergate.contracts.deploy.DeployedContracts;
import io.infergate.contracts.devchain.DevChain;
import io.infergate.contracts.generated.ReceiptAnchor;
import io.infergate.contracts.generated.ServiceRegistry;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.receipt.InferenceReceipt;
import io.infergate.x402.receipt.ReceiptMerkleTree;
import io.infergate.x402.receipt.ReceiptProof;
import io.infergate.x402.receipt.SignedReceipt;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.DynamicEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * A real anvil with Infergate's contracts, where tests register services with fresh provider and signer keys,
 * sign receipts with {@link SignedReceipt#sign} and commit Merkle roots to the real {@code ReceiptAnchor} as the
 * registered signer, exactly as a node does.
 */
final class ReceiptChainFixture implements AutoCloseable {
  static final String PLUGIN = "bafybeigdyrztplugin0000000000000000000000000000000000000000";
  final DevChain chain;
  final DeployedContracts contracts;
  final Address anchor;
  final Eip712Domain domain;
  private final AtomicLong seqs = new AtomicLong();

  ReceiptChainFixture() {
    chain = DevChain.start();
    try (ContractDeployer d = ContractDeployer.create(chain.rpcUrl(), chain.devAccount(0), DeployOptions.devChain())) {
      contracts = d.deployAll();
    }
    anchor = Address.parse(contracts.receiptAnchor());
    domain = InferenceReceipt.domain(chain.chainId(), anchor);
  }

  /** A provider and its receipt signer, both fresh funded keys, with a service registered. */
  final class Provider {
    final PrivateKey key = PrivateKey.random();
    final PrivateKey signer;
    final String service;
    long nextSeq;

    Provider(String service, PrivateKey signer) {
      this.service = service;
      this.signer = signer;
      fund(key);
      fund(signer);
    }

    TransactionReceipt register() throws Exception {
      return registry(key).register(terms(signer.address())).send();
    }

    TransactionReceipt retire() throws Exception {
      ServiceRegistry r = registry(key);
      return r.retire(r.serviceId(key.address().toString(), service).send()).send();
    }

    TransactionReceipt updateSigner(Address newSigner) throws Exception {
      ServiceRegistry r = registry(key);
      return r.update(r.serviceId(key.address().toString(), service).send(), terms(newSigner)).send();
    }

    private ServiceRegistry.ServiceTerms terms(Address receiptSigner) {
      return new ServiceRegistry.ServiceTerms(service, PLUGIN, List.of("bafkreimodel"), BigInteger.valueOf(1000),
          contracts.token(), key.address().toString(), key.address().toString(), "http://127.0.0.1:8080",
          receiptSigner.toString());
    }

    /** A receipt of this provider's service, signed by {@code by}, issued at {@code issuedAt}. */
    SignedReceipt receipt(PrivateKey by, long issuedAt, BigInteger cumulative) {
      InferenceReceipt r = new InferenceReceipt(Bytes32.keccak(("request " + seqs.incrementAndGet()).getBytes()),
          Bytes32.keccak("response".getBytes()), key.address(), service, PLUGIN,
          InferenceReceipt.modelSetHash(List.of("bafkreimodel")), Bytes32.keccak("profile".getBytes()),
          Bytes32.keccak("channel".getBytes()), cumulative, BigInteger.valueOf(1000), cumulative, nextSeq++, issuedAt);
      return SignedReceipt.sign(r, domain, by);
    }

    /** Commits the tree over {@code receipts} (contiguous seqs) as the signer; returns each one's proof. */
    List<ReceiptProof> anchor(List<SignedReceipt> receipts) throws Exception {
      ReceiptMerkleTree tree = ReceiptMerkleTree.of(receipts.stream().map(SignedReceipt::digest).toList());
      long first = receipts.getFirst().receipt().seq();
      long last = receipts.getLast().receipt().seq();
      ReceiptAnchor a = ReceiptAnchor.load(anchor.toString(), chain.web3j(), tx(signer), gas());
      TransactionReceipt tr = a.commit(key.address().toString(), tree.root().toBytes(), BigInteger.valueOf(first),
          BigInteger.valueOf(last)).send();
      long index = a.commitmentCount(key.address().toString(), signer.address().toString()).send().longValueExact() - 1;
      return java.util.stream.IntStream.range(0, receipts.size()).mapToObj(i -> new ReceiptProof(receipts.get(i).id(),
          receipts.get(i).receipt().seq(), key.address(), signer.address(), tree.proof(i), tree.root(), first, last,
          index, anchor, chain.chainId(), tr.getTransactionHash(), tr.getBlockNumber().longValueExact())).toList();
    }
  }

  Provider provider(String service) {
    return new Provider(service, PrivateKey.random());
  }

  ServiceRegistry registry(PrivateKey who) {
    return ServiceRegistry.load(contracts.serviceRegistry(), chain.web3j(), tx(who), gas());
  }

  RawTransactionManager tx(PrivateKey who) {
    return new RawTransactionManager(chain.web3j(), Credentials.create(who.toHex()), chain.chainId(),
        new PollingTransactionReceiptProcessor(chain.web3j(), 20, 1500));
  }

  DynamicEIP1559GasProvider gas() {
    return new DynamicEIP1559GasProvider(chain.web3j(), chain.chainId());
  }

  void fund(PrivateKey who) {
    chain.fund(who.address().toString(), BigInteger.TEN.pow(20));
  }

  long chainTime() {
    try {
      return chain.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
          .getTimestamp().longValueExact();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  long blockTime(TransactionReceipt tr) {
    try {
      return chain.web3j().ethGetBlockByHash(tr.getBlockHash(), false).send().getBlock().getTimestamp().longValueExact();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  ReceiptChain connect() {
    return ReceiptChain.connect(chain.rpcUrl(), anchor);
  }

  @Override
  public void close() {
    chain.close();
  }
}
