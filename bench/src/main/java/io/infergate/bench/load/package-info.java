/**
 * The HTTP load run's Java side: {@link io.infergate.bench.load.LoadRequests} prints the exact request bodies
 * wrk sends (the same ones the JMH benchmarks use), and {@link io.infergate.bench.load.LoadReport} puts wrk's
 * results next to the JMH figures. {@code bench/run-load.sh} drives both. {@link io.infergate.bench.load.PaidLoad}
 * is the paid/unpaid load generator of {@code bench/run-paid-load.sh}, on its own lean HTTP/1.1 client
 * ({@link io.infergate.bench.load.HttpConnection}).
 */
package io.infergate.bench.load;
