/**
 * The host's own cost per call, isolated with a model that does almost nothing ({@code y = x + x} on FP32
 * [batch, 4]). {@link io.infergate.bench.tiny.TinyService} is a plugin for it, {@link
 * io.infergate.bench.tiny.TinyPlugin} packs it into a PF4J zip (its {@code main} is what {@code run-load.sh}
 * calls), and {@link io.infergate.bench.tiny.HostOverheadBenchmark} compares ORT alone with the host's call path.
 */
package io.infergate.bench.tiny;
