/**
 * Metrics: one Prometheus registry (Micrometer) for the node's own meters, the JVM's and Vert.x's.
 * {@link io.infergate.host.metrics.InferenceMetrics} owns the call meters; names follow Prometheus
 * conventions ({@code infergate_requests_total}, {@code infergate_queue_duration_seconds}, ...).
 */
package io.infergate.host.metrics;
