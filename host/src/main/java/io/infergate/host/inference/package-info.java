/**
 * Running calls: admission, workers, deadlines and cancellation.
 *
 * <p>Start at {@link io.infergate.host.inference.ServiceExecutor}: one per loaded service, a fixed pool of
 * worker threads behind a bounded queue (a full queue answers 503 with Retry-After at once instead of
 * letting latency grow). Each call gets a {@link io.infergate.host.inference.CallContext}: the service's
 * models bound to the call's deadline; when it passes, every ORT run of the call is terminated
 * ({@code RunOptions.setTerminate}), the worker is interrupted and the caller gets 504. Inference never runs
 * on a Vert.x event loop.
 */
package io.infergate.host.inference;
