/**
 * Infergate's benchmarks. Nothing here runs in the build; {@code java -jar bench/target/infergate-bench.jar}
 * runs the JMH benchmarks, {@code bench/run-load.sh} the HTTP load run that prints them side by side.
 *
 * <ul>
 *   <li>{@link io.infergate.bench.embedding}: the floor (ONNX Runtime alone on all-MiniLM-L6-v2) and the same
 *       model through the example plugin and the host's call path, in-process;</li>
 *   <li>{@link io.infergate.bench.tiny}: a model that does nearly nothing, to isolate the host's own cost per
 *       call, and the plugin zip that serves it over HTTP;</li>
 *   <li>{@link io.infergate.bench.support}: the pieces both use (session settings, an in-process node).</li>
 * </ul>
 * See {@code bench/README.md} for the commands and {@code sdk-docs/performance.md} for the figures.
 */
package io.infergate.bench;
