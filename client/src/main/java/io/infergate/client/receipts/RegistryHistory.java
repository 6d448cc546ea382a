package io.infergate.client.receipts;

import io.infergate.contracts.generated.ServiceRegistry;
import io.infergate.x402.crypto.Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The life of one service in the {@code ServiceRegistry}, replayed from its {@code ServiceRegistered},
 * {@code ServiceUpdated} and {@code ServiceRetired} events in chain order, each with its block's timestamp, so the
 * terms in force at any moment can be read back: the registry itself only stores the current terms.
 *
 * <pre>{@code
 * RegistryHistory h = chain.history(provider, "text-embedding");
 * Optional<RegistryHistory.Entry> atIssue = h.at(receipt.issuedAt());
 * }</pre>
 *
 * @param provider the provider
 * @param service the service name
 * @param serviceId {@code serviceId(provider, service)} as {@code 0x}-hex
 * @param entries the events, oldest first
 */
public record RegistryHistory(Address provider, String service, String serviceId, List<Entry> entries) {

  /** What an event set. */
  public enum Kind { REGISTERED, UPDATED, RETIRED }

  /**
   * One event.
   *
   * @param kind what happened
   * @param timestamp the block's unix time
   * @param blockNumber the block
   * @param logIndex the event's position in the block
   * @param receiptSigner the signer in force after the event (for RETIRED: the one that stopped)
   * @param pluginCid the plugin in force after the event
   * @param transaction the transaction hash
   */
  public record Entry(Kind kind, long timestamp, long blockNumber, long logIndex, Address receiptSigner,
      String pluginCid, String transaction) {
    /** True when the service is active after this event. */
    public boolean active() {
      return kind != Kind.RETIRED;
    }
  }

  public RegistryHistory {
    entries = entries.stream().sorted(Comparator.comparingLong(Entry::blockNumber).thenComparingLong(Entry::logIndex))
        .toList();
  }

  /** The last event at or before unix time {@code t}: the terms in force then; empty when not yet registered. */
  public Optional<Entry> at(long t) {
    Entry found = null;
    for (Entry e : entries) {
      if (e.timestamp() <= t) {
        found = e;
      }
    }
    return Optional.ofNullable(found);
  }

  /** Builds the entries of one service from decoded events (the chain reader's job). */
  static List<Entry> replay(List<ServiceRegistry.ServiceRegisteredEventResponse> registered,
      List<ServiceRegistry.ServiceUpdatedEventResponse> updated, List<ServiceRegistry.ServiceRetiredEventResponse> retired,
      java.util.function.ToLongFunction<String> timestampOfBlock) {
    record Raw(Kind kind, org.web3j.protocol.core.methods.response.Log log, String signer, String plugin) {}
    List<Raw> raws = new ArrayList<>();
    registered.forEach(e -> raws.add(new Raw(Kind.REGISTERED, e.log, e.receiptSigner, e.pluginCid)));
    updated.forEach(e -> raws.add(new Raw(Kind.UPDATED, e.log, e.receiptSigner, e.pluginCid)));
    retired.forEach(e -> raws.add(new Raw(Kind.RETIRED, e.log, null, null)));
    raws.sort(Comparator.comparing((Raw r) -> r.log().getBlockNumber()).thenComparing(r -> r.log().getLogIndex()));
    List<Entry> out = new ArrayList<>();
    Address signer = null;
    String plugin = null;
    for (Raw r : raws) {
      if (r.signer() != null) {
        signer = Address.parse(r.signer());
        plugin = r.plugin();
      }
      out.add(new Entry(r.kind(), timestampOfBlock.applyAsLong(r.log().getBlockHash()),
          r.log().getBlockNumber().longValueExact(), r.log().getLogIndex().longValueExact(), signer, plugin,
          r.log().getTransactionHash()));
    }
    return out;
  }
}
