/**
 * The HTTP load run's Java side: {@link io.infergate.bench.load.LoadRequests} prints the exact request bodies
 * wrk sends (the same ones the JMH benchmarks use), and {@link io.infergate.bench.load.LoadReport} puts wrk's
 * results next to the JMH figures. {@code bench/run-load.sh} drives both.
 */
package io.infergate.bench.load;
