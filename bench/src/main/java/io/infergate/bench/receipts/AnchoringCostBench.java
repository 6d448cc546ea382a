package io.infergate.bench.receipts;

import io.infergate.contracts.deploy.ContractDeployer;
import io.infergate.contracts.deploy.DeployOptions;
import io.infergate.contracts.deploy.DeployedContracts;
import io.infergate.contracts.devchain.DevChain;
import io.infergate.contracts.generated.ReceiptAnchor;
import io.infergate.contracts.generated.ServiceRegistry;
import io.infergate.host.payments.chain.TransactionSender;
import io.infergate.host.receipts.ReceiptLog;
import io.infergate.host.receipts.anchor.AnchorContract;
import io.infergate.host.receipts.anchor.AnchorMetrics;
import io.infergate.host.receipts.anchor.AnchorOptions;
import io.infergate.host.receipts.anchor.ReceiptAnchorer;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.receipt.InferenceReceipt;
import io.infergate.x402.receipt.ReceiptMerkleTree;
import io.infergate.x402.receipt.ReceiptProof;
import io.infergate.x402.receipt.SignedReceipt;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Merkle batching and anchoring cost per 10k receipts. Prints Markdown tables:
 * <ol>
 *   <li>in-process: signing 10k receipts, building their tree (median of runs after warm-up), extracting and
 *       checking all 10k proofs;</li>
 *   <li>on a real anvil: 10k receipts anchored with batch sizes 10000, 1024 and 256 through the real
 *       {@link ReceiptAnchorer} (gas from the commit transactions' receipts, wall time of the rounds), and the gas of
 *       the contract's {@code verifyReceipt} for one proof.</li>
 * </ol>
 *
 * <pre>{@code java --enable-native-access=ALL-UNNAMED -cp bench/target/infergate-bench.jar \
 *     io.infergate.bench.receipts.AnchoringCostBench [receipts=10000] [treeRuns=30]}</pre>
 */
public final class AnchoringCostBench {
  private AnchoringCostBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    System.out.printf(Locale.ROOT, "# Receipt anchoring cost, %d receipts (JDK %s, %d cores)%n%n", n,
        Runtime.version(), Runtime.getRuntime().availableProcessors());
    try (DevChain chain = DevChain.start()) {
      Credentials providerCredentials = chain.devAccount(0);
      DeployedContracts contracts;
      try (ContractDeployer d = ContractDeployer.create(chain.rpcUrl(), providerCredentials, DeployOptions.devChain())) {
        contracts = d.deployAll();
      }
      Address anchor = Address.parse(contracts.receiptAnchor());
      Address provider = Address.parse(providerCredentials.getAddress());

      PrivateKey key = PrivateKey.random();
      long t0 = System.nanoTime();
      List<SignedReceipt> receipts = sign(n, key, provider, chain.chainId(), anchor);
      long signNanos = System.nanoTime() - t0;
      List<Bytes32> digests = receipts.stream().map(SignedReceipt::digest).toList();

      long[] tree = new long[runs];
      ReceiptMerkleTree t = null;
      for (int i = 0; i < runs + 10; i++) {
        long s = System.nanoTime();
        t = ReceiptMerkleTree.of(digests);
        if (i >= 10) {
          tree[i - 10] = System.nanoTime() - s;
        }
      }
      long s = System.nanoTime();
      int depth = 0;
      for (int i = 0; i < n; i++) {
        List<Bytes32> p = t.proof(i);
        depth = Math.max(depth, p.size());
        if (!ReceiptMerkleTree.computeRoot(digests.get(i), p).equals(t.root())) {
          throw new AssertionError("proof " + i + " does not lead to the root");
        }
      }
      long proofNanos = System.nanoTime() - s;
      System.out.println("## In-process");
      System.out.println("| step | time |");
      System.out.println("|---|---:|");
      System.out.printf(Locale.ROOT, "| sign %d receipts (EIP-712 digest + secp256k1) | %.1f ms (%.1f µs each) |%n", n,
          signNanos / 1e6, signNanos / 1e3 / n);
      System.out.printf(Locale.ROOT, "| build the tree of %d receipts (median of %d, after 10 warm-up) | %.2f ms"
          + " (min %.2f, max %.2f) |%n", n, runs, median(tree) / 1e6, Arrays.stream(tree).min().orElse(0) / 1e6,
          Arrays.stream(tree).max().orElse(0) / 1e6);
      System.out.printf(Locale.ROOT, "| extract and check all %d proofs (depth ≤ %d) | %.1f ms (%.1f µs each) |%n%n", n,
          depth, proofNanos / 1e6, proofNanos / 1e3 / n);

      System.out.println("## On anvil (real ReceiptAnchor, commits signed by the receipt key)");
      System.out.println("| batch size | commits | gas, first commit of the stream | gas, later commits (each) |"
          + " gas per 10k receipts | anchoring time (rounds, incl. tree + journal) |");
      System.out.println("|---:|---:|---:|---:|---:|---:|");
      for (int batchSize : new int[] {10_000, 1024, 256}) {
        PrivateKey signer = PrivateKey.random();
        chain.fund(signer.address().toChecksumString(), BigInteger.TEN.pow(20));
        register(chain, contracts, providerCredentials, signer);
        BenchJournal journal = new BenchJournal();
        for (SignedReceipt r : sign(n, signer, provider, chain.chainId(), anchor)) {
          journal.append(signer.address(), r.digest());
        }
        TransactionSender sender = TransactionSender.create(chain.web3j(), chain.chainId(),
            Credentials.create(signer.exportSecretHex()), Duration.ofMillis(5));
        ReceiptAnchorer anchorer = ReceiptAnchorer.create(journal,
            AnchorContract.of(chain.web3j(), chain.chainId(), anchor, provider, sender),
            AnchorOptions.defaults().withBatchSize(batchSize).withInterval(Duration.ofMillis(1)), Clock.systemUTC(),
            AnchorMetrics.none());
        long start = System.nanoTime();
        while (!journal.openBatches(signer.address()).isEmpty() || journal.lastBatchedSeq(signer.address()) < n - 1) {
          anchorer.runOnce();
        }
        long nanos = System.nanoTime() - start;
        List<Long> gas = new ArrayList<>();
        for (ReceiptLog.Batch b : journal.batches()) {
          TransactionReceipt r = chain.web3j().ethGetTransactionReceipt(b.transaction()).send().getTransactionReceipt()
              .orElseThrow();
          gas.add(r.getGasUsed().longValueExact());
        }
        long total = gas.stream().mapToLong(Long::longValue).sum();
        long min = gas.stream().skip(1).mapToLong(Long::longValue).min().orElse(0);
        long max = gas.stream().skip(1).mapToLong(Long::longValue).max().orElse(0);
        String later = gas.size() < 2 ? "—" : min == max ? String.valueOf(min) : min + "–" + max;
        System.out.printf(Locale.ROOT, "| %d | %d | %d | %s | %d | %.0f ms (%.1f ms per commit) |%n", batchSize,
            gas.size(), gas.getFirst(), later, total * 10_000L / n, nanos / 1e6, nanos / 1e6 / gas.size());
        if (batchSize == 1024) {
          verifyGas(chain, anchor, provider, signer, anchorer, journal.range(signer.address(), 1023, 1).getFirst());
        }
      }
      System.out.println(VERIFY_GAS);
    }
  }

  /** Gas of the contract's verifyReceipt for {@code e} (the last receipt of a 1024-batch: the deepest proof). */
  private static void verifyGas(DevChain chain, Address anchor, Address provider, PrivateKey signer,
      ReceiptAnchorer anchorer, ReceiptLog.Entry e) throws Exception {
    ReceiptProof p = anchorer.proofs().proof(e.digest().toString());
    ReceiptAnchor reader = ReceiptAnchor.load(anchor.toChecksumString(), chain.web3j(),
        new ReadonlyTransactionManager(chain.web3j(), provider.toChecksumString()),
        new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO));
    if (!reader.verifyReceipt(provider.toChecksumString(), signer.address().toChecksumString(),
        BigInteger.valueOf(p.seq()), e.digest().toBytes(), p.proof().stream().map(Bytes32::toBytes).toList()).send()) {
      throw new AssertionError("the contract refuses the proof of receipt " + p.seq());
    }
    String data = reader.verifyReceipt(provider.toChecksumString(), signer.address().toChecksumString(),
        BigInteger.valueOf(p.seq()), e.digest().toBytes(), p.proof().stream().map(Bytes32::toBytes).toList())
        .encodeFunctionCall();
    BigInteger gas = chain.web3j().ethEstimateGas(Transaction.createEthCallTransaction(provider.toChecksumString(),
        anchor.toChecksumString(), data)).send().getAmountUsed();
    VERIFY_GAS.append(String.format(Locale.ROOT, "%n`verifyReceipt` with a proof of %d siblings (batch of 1024): %s"
        + " gas if sent as a transaction (eth_estimateGas; free as an eth_call)%n", p.proof().size(), gas));
  }

  private static final StringBuilder VERIFY_GAS = new StringBuilder();

  private static List<SignedReceipt> sign(int n, PrivateKey key, Address provider, long chainId, Address anchor) {
    List<SignedReceipt> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      InferenceReceipt r = new InferenceReceipt(Bytes32.keccak(("request " + i).getBytes()),
          Bytes32.keccak(("response " + i).getBytes()), provider, "text-embedding", "bafy-plugin",
          InferenceReceipt.modelSetHash(List.of("bafy-model")), Bytes32.keccak("profile".getBytes()),
          Bytes32.keccak("channel".getBytes()), BigInteger.valueOf(1000L * (i + 1)), BigInteger.valueOf(1000),
          BigInteger.valueOf(1000L * (i + 1)), i, 1_800_000_000L + i);
      out.add(SignedReceipt.sign(r, InferenceReceipt.domain(chainId, anchor), key));
    }
    return out;
  }

  private static void register(DevChain chain, DeployedContracts contracts, Credentials provider, PrivateKey signer)
      throws Exception {
    ServiceRegistry.load(contracts.serviceRegistry(), chain.web3j(), new RawTransactionManager(chain.web3j(), provider,
        chain.chainId(), new PollingTransactionReceiptProcessor(chain.web3j(), 20, 1500)), new DefaultGasProvider())
        .register(new ServiceRegistry.ServiceTerms("bench-" + signer.address().toLowerHex(), "bafy-plugin",
            List.of("bafy-model"), BigInteger.ONE, contracts.token(), provider.getAddress(), provider.getAddress(),
            "http://127.0.0.1:8080", signer.address().toChecksumString())).send();
  }

  private static double median(long[] v) {
    long[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2.0;
  }
}
