package io.infergate.host.ipfs.fetch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Fetch metrics, exported through the node's registry (Prometheus names in brackets):
 * <ul>
 *   <li>{@code infergate.ipfs.fetch.bytes{source}} [infergate_ipfs_fetch_bytes_total]: verified block bytes received</li>
 *   <li>{@code infergate.ipfs.fetch.blocks{source}}: verified blocks received</li>
 *   <li>{@code infergate.ipfs.fetch.blocks.skipped{source}}: blocks already held when a resumed fetch walked the
 *       DAG block by block, so not requested from that source</li>
 *   <li>{@code infergate.ipfs.fetch.failures{source,reason}}: reason = verification, untrusted, timeout, other</li>
 *   <li>{@code infergate.ipfs.fetch.cache.hits}: fetches answered by the store without any source</li>
 * </ul>
 */
public final class FetchMetrics {
  private final MeterRegistry registry;

  private FetchMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public static FetchMetrics create(MeterRegistry registry) {
    return new FetchMetrics(registry);
  }

  /** Metrics kept in memory only (tests, tools). */
  public static FetchMetrics inMemory() {
    return new FetchMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  void received(String source, int bytes) {
    registry.counter("infergate.ipfs.fetch.blocks", "source", source).increment();
    registry.counter("infergate.ipfs.fetch.bytes", "source", source).increment(bytes);
  }

  void skipped(String source, long blocks) {
    registry.counter("infergate.ipfs.fetch.blocks.skipped", "source", source).increment(blocks);
  }

  void failed(String source, String reason) {
    registry.counter("infergate.ipfs.fetch.failures", "source", source, "reason", reason).increment();
  }

  void cacheHit() {
    registry.counter("infergate.ipfs.fetch.cache.hits").increment();
  }

  /** Current value of a counter, 0 if never incremented (for tests and the CLI). */
  public double count(String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }
}
