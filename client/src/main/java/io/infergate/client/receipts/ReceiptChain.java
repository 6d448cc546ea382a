package io.infergate.client.receipts;

import io.infergate.client.ClientException;
import io.infergate.contracts.generated.ReceiptAnchor;
import io.infergate.contracts.generated.ServiceRegistry;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import io.infergate.contracts.logs.LogRangeRefusedException;
import io.infergate.contracts.logs.LogReader;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * Read-only access to the two contracts a receipt verifier trusts: the {@code ReceiptAnchor} (roots) and the
 * {@code ServiceRegistry} it points to (who may sign). Nothing is sent, no key is needed.
 *
 * <pre>{@code
 * try (ReceiptChain chain = ReceiptChain.connect("http://127.0.0.1:8545", anchorAddress)) {
 *   RegistryHistory h = chain.history(provider, "text-embedding");
 * }
 * }</pre>
 */
public final class ReceiptChain implements AutoCloseable {
  private static final String TOPIC_REGISTERED = EventEncoder.encode(ServiceRegistry.SERVICEREGISTERED_EVENT);
  private static final String TOPIC_UPDATED = EventEncoder.encode(ServiceRegistry.SERVICEUPDATED_EVENT);
  private static final String TOPIC_RETIRED = EventEncoder.encode(ServiceRegistry.SERVICERETIRED_EVENT);

  private final Web3j web3j;
  private final boolean owned;
  private final long chainId;
  private final Address anchorAddress;
  private final Address registryAddress;
  private final ReceiptAnchor anchor;
  private final ServiceRegistry registry;

  private ReceiptChain(Web3j web3j, boolean owned, Address anchorAddress, Address registryAddress) {
    this.web3j = web3j;
    this.owned = owned;
    this.anchorAddress = anchorAddress;
    ReadonlyTransactionManager ro = new ReadonlyTransactionManager(web3j, Address.ZERO.toString());
    this.anchor = ReceiptAnchor.load(anchorAddress.toString(), web3j, ro, new DefaultGasProvider());
    this.chainId = call("read the chain id", () -> web3j.ethChainId().send().getChainId().longValueExact());
    if (registryAddress == null) {
      registryAddress = Address.parse(call("read ReceiptAnchor.registry() at " + anchorAddress,
          () -> anchor.registry().send()));
    }
    this.registryAddress = registryAddress;
    this.registry = ServiceRegistry.load(registryAddress.toString(), web3j, ro, new DefaultGasProvider());
  }

  /** Connects to {@code rpcUrl}; the registry is the one the anchor names ({@code ReceiptAnchor.registry()}). */
  public static ReceiptChain connect(String rpcUrl, Address anchor) {
    return new ReceiptChain(Web3j.build(new HttpService(rpcUrl)), true, anchor, null);
  }

  /** Uses an existing connection (which stays the caller's to close). */
  public static ReceiptChain over(Web3j web3j, Address anchor) {
    return new ReceiptChain(web3j, false, anchor, null);
  }

  public long chainId() {
    return chainId;
  }

  public Address anchor() {
    return anchorAddress;
  }

  public Address registry() {
    return registryAddress;
  }

  /** The service's registry history, replayed from its events. */
  public RegistryHistory history(Address provider, String service) {
    byte[] id = call("read serviceId from the ServiceRegistry at " + registryAddress,
        () -> registry.serviceId(provider.toString(), service).send());
    String idHex = Numeric.toHexString(id);
    // From block 0, split into ranges the provider accepts (public RPCs cap eth_getLogs spans).
    List<Log> logs = call("read the ServiceRegistry's events", () -> new LogReader(web3j).readToHead(0,
        (from, to) -> {
          EthFilter filter = new EthFilter(from, to, registryAddress.toString());
          filter.addOptionalTopics(TOPIC_REGISTERED, TOPIC_UPDATED, TOPIC_RETIRED);
          filter.addSingleTopic(idHex);
          return filter;
        }));
    List<ServiceRegistry.ServiceRegisteredEventResponse> registered = new ArrayList<>();
    List<ServiceRegistry.ServiceUpdatedEventResponse> updated = new ArrayList<>();
    List<ServiceRegistry.ServiceRetiredEventResponse> retired = new ArrayList<>();
    for (Log log : logs) {
      String topic = log.getTopics().get(0);
      if (topic.equalsIgnoreCase(TOPIC_REGISTERED)) {
        registered.add(ServiceRegistry.getServiceRegisteredEventFromLog(log));
      } else if (topic.equalsIgnoreCase(TOPIC_UPDATED)) {
        updated.add(ServiceRegistry.getServiceUpdatedEventFromLog(log));
      } else if (topic.equalsIgnoreCase(TOPIC_RETIRED)) {
        retired.add(ServiceRegistry.getServiceRetiredEventFromLog(log));
      }
    }
    Map<String, Long> times = new HashMap<>();
    return new RegistryHistory(provider, service, idHex, RegistryHistory.replay(registered, updated, retired,
        hash -> times.computeIfAbsent(hash, this::blockTime)));
  }

  /** A commitment of the anchor: its root and range. */
  public record Commitment(Bytes32 root, long firstSeq, long lastSeq, long committedAt, long index) {}

  /** The commitment of the (provider, signer) stream whose range holds {@code seq}; empty when none does. */
  public Optional<Commitment> commitmentFor(Address provider, Address signer, long seq) {
    long count = call("read commitmentCount", () -> anchor.commitmentCount(provider.toString(), signer.toString())
        .send()).longValueExact();
    if (count == 0) {
      return Optional.empty();
    }
    // binary search over the stream, as the contract does, without relying on revert decoding
    long lo = 0;
    long hi = count;
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      ReceiptAnchor.Commitment c = commitmentAt(provider, signer, mid);
      if (seq < c.firstSeq.longValueExact()) {
        hi = mid;
      } else if (seq > c.lastSeq.longValueExact()) {
        lo = mid + 1;
      } else {
        return Optional.of(new Commitment(Bytes32.of(c.root), c.firstSeq.longValueExact(), c.lastSeq.longValueExact(),
            c.committedAt.longValueExact(), mid));
      }
    }
    return Optional.empty();
  }

  /** The last sequence number the (provider, signer) stream has committed, or -1 when none. */
  public long lastCommittedSeq(Address provider, Address signer) {
    long count = call("read commitmentCount", () -> anchor.commitmentCount(provider.toString(), signer.toString())
        .send()).longValueExact();
    return count == 0 ? -1 : commitmentAt(provider, signer, count - 1).lastSeq.longValueExact();
  }

  /** The contract's own {@code verifyReceipt}. */
  public boolean verifyReceipt(Address provider, Address signer, long seq, Bytes32 digest, List<Bytes32> proof) {
    List<byte[]> p = proof.stream().map(Bytes32::toBytes).toList();
    return call("call ReceiptAnchor.verifyReceipt", () -> anchor.verifyReceipt(provider.toString(), signer.toString(),
        BigInteger.valueOf(seq), digest.toBytes(), p).send());
  }

  private ReceiptAnchor.Commitment commitmentAt(Address provider, Address signer, long index) {
    return call("read commitmentAt", () -> anchor.commitmentAt(provider.toString(), signer.toString(),
        BigInteger.valueOf(index)).send());
  }

  private long blockTime(String blockHash) {
    return call("read block " + blockHash, () -> web3j.ethGetBlockByHash(blockHash, false).send().getBlock()
        .getTimestamp().longValueExact());
  }

  private interface ChainCall<T> {
    T call() throws Exception;
  }

  private <T> T call(String what, ChainCall<T> c) {
    try {
      return c.call();
    } catch (ClientException e) {
      throw e;
    } catch (LogRangeRefusedException e) {
      throw new ClientException("cannot " + what + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ClientException("cannot " + what + ": " + e.getMessage() + "; check --rpc and that the chain is"
          + " running", e);
    } catch (Exception e) {
      throw new ClientException("cannot " + what + ": " + e.getMessage() + "; check that --anchor is the"
          + " ReceiptAnchor on this chain", e);
    }
  }

  @Override
  public void close() {
    if (owned) {
      web3j.shutdown();
    }
  }
}
