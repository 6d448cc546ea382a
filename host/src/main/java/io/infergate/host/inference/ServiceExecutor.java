package io.infergate.host.inference;

import io.infergate.host.config.HostConfig;
import io.infergate.host.errors.DeadlineExceededException;
import io.infergate.host.errors.InfergateException;
import io.infergate.host.errors.ModelNotReadyException;
import io.infergate.host.errors.OverloadedException;
import io.infergate.host.errors.ServiceFailedException;
import io.infergate.host.metrics.InferenceMetrics;
import io.infergate.host.models.ModelSession;
import io.infergate.plugin.api.AiService;
import io.infergate.plugin.api.InferenceInput;
import io.infergate.plugin.api.InferenceOutput;
import io.infergate.plugin.api.InvalidInputException;
import io.infergate.plugin.api.JsonServiceAdapter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.host.errors.BadRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the calls of one service on its own bounded worker pool.
 *
 * <p>Design notes. Admission is the queue: {@code workers} threads and {@code queue-size} waiting calls;
 * one more is refused at once with 503 + Retry-After (bounded latency beats unbounded queues). The deadline
 * covers queueing and work; a timer fires at the deadline, cancels the call's ORT runs, interrupts the
 * worker if it is still on this call, and answers 504. A service that ignores interruption keeps its
 * worker until it returns; its late result is dropped. Each call runs with the plugin's classloader as the
 * thread context classloader, because libraries inside plugins look resources up through it.
 */
public final class ServiceExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceExecutor.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServiceDescriptor descriptor;
  private final AiService service;
  private final ClassLoader pluginLoader;
  private final Map<String, ModelSession> models;
  private final HostConfig.Inference config;
  private final InferenceMetrics metrics;
  private final ScheduledExecutorService timer;
  private final ThreadPoolExecutor pool;
  private final AtomicInteger inFlight;
  private volatile boolean accepting = true;

  public ServiceExecutor(ServiceDescriptor descriptor, AiService service, ClassLoader pluginLoader,
      Map<String, ModelSession> models, HostConfig.Inference config, InferenceMetrics metrics,
      ScheduledExecutorService timer) {
    this.descriptor = descriptor;
    this.service = service;
    this.pluginLoader = pluginLoader;
    this.models = Map.copyOf(models);
    this.config = config;
    this.metrics = metrics;
    this.timer = timer;
    this.inFlight = metrics.inFlight(descriptor.name());
    BlockingQueue<Runnable> queue = config.queueSize() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(config.queueSize());
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.SECONDS, queue, r -> {
      Thread t = new Thread(r, "infergate-" + descriptor.name() + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public ServiceDescriptor descriptor() {
    return descriptor;
  }

  /** The plugin classloader the service's calls run under. */
  public ClassLoader pluginLoader() {
    return pluginLoader;
  }

  /**
   * Admits a call with decoded inputs. The future completes with the checked output, or exceptionally with
   * an {@link InfergateException} (overloaded, timeout, bad input, service failure).
   */
  public CompletableFuture<InferenceOutput> submit(InferenceInput input, String requestId) {
    return submit(input, requestId, NOTHING_FIRST);
  }

  /**
   * {@link #submit(InferenceInput, String)} that runs {@code first} on the worker before the service (the payment's
   * admission: if it throws, the service does not run and the call fails with that exception).
   */
  public CompletableFuture<InferenceOutput> submit(InferenceInput input, String requestId, Runnable first) {
    return submit(context -> infer(input, context), requestId, first);
  }

  private static final Runnable NOTHING_FIRST = () -> { };

  /**
   * Admits a call on the service's JSON route: decoding, inference and encoding all run on the worker,
   * because they are plugin code and must never run on an event loop.
   */
  public CompletableFuture<JsonCall> submitJson(JsonServiceAdapter adapter, Map<String, Object> body, String requestId) {
    return submitJson(adapter, body, requestId, NOTHING_FIRST);
  }

  /** {@link #submitJson(JsonServiceAdapter, Map, String)} that runs {@code first} on the worker before the rest. */
  public CompletableFuture<JsonCall> submitJson(JsonServiceAdapter adapter, Map<String, Object> body, String requestId,
      Runnable first) {
    return submit(context -> {
      InferenceInput input = adapter.decode(body);
      InputCheck.check(descriptor, input);
      InferenceOutput output = infer(input, context);
      return new JsonCall(output, JSON.writeValueAsBytes(adapter.encode(output)));
    }, requestId, first);
  }

  /** The outcome of a JSON call: the service's output (for charging) and the response body. */
  public record JsonCall(InferenceOutput output, byte[] body) {}

  /** Work done for one call on a worker thread. */
  @FunctionalInterface
  private interface Work<T> {
    T perform(CallContext context) throws Exception;
  }

  private InferenceOutput infer(InferenceInput input, CallContext context) throws Exception {
    InferenceOutput out = service.infer(input, context);
    OutputCheck.check(descriptor, out);
    return out;
  }

  private <T> CompletableFuture<T> submit(Work<T> work, String requestId, Runnable first) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (!accepting) {
      result.completeExceptionally(new ModelNotReadyException("service '" + descriptor.name()
          + "' is shutting down; retry on another node or after it restarts"));
      return result;
    }
    Instant deadline = Instant.now().plus(config.timeout());
    CallContext context = new CallContext(descriptor.name(), models, deadline, requestId);
    Call<T> call = new Call<>(first, work, context, result, System.nanoTime());
    inFlight.incrementAndGet();
    try {
      pool.execute(call);
    } catch (RejectedExecutionException e) {
      inFlight.decrementAndGet();
      result.completeExceptionally(new OverloadedException("service '" + descriptor.name() + "' is at capacity ("
          + config.workers() + " running, " + config.queueSize() + " waiting); retry after "
          + config.retryAfterSeconds() + " s", config.retryAfterSeconds()));
      return result;
    }
    ScheduledFuture<?> timeout = timer.schedule(call::expire, config.timeout().toNanos(), TimeUnit.NANOSECONDS);
    result.whenComplete((out, err) -> timeout.cancel(false));
    return result;
  }

  /** Stops admitting calls and waits up to {@code grace} for the running and queued ones to finish. */
  public boolean drain(Duration grace) throws InterruptedException {
    accepting = false;
    pool.shutdown();
    boolean done = pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    if (!done) {
      LOG.warn("service '{}': {} calls still running after {} ms; cancelling them", descriptor.name(), inFlight.get(),
          grace.toMillis());
      pool.shutdownNow();
    }
    return done;
  }

  /** One admitted call: runs on a worker, or expires on the timer, whichever comes first answers. */
  private final class Call<T> implements Runnable {
    private final Runnable first;
    private final Work<T> work;
    private final CallContext context;
    private final CompletableFuture<T> result;
    private final long admittedNanos;
    private Thread worker;

    Call(Runnable first, Work<T> work, CallContext context, CompletableFuture<T> result, long admittedNanos) {
      this.first = first;
      this.work = work;
      this.context = context;
      this.result = result;
      this.admittedNanos = admittedNanos;
    }

    @Override
    public void run() {
      long started = System.nanoTime();
      metrics.queued(descriptor.name(), started - admittedNanos);
      if (!begin()) {
        return;
      }
      try {
        first.run();       // the payment's admission: host code, not the service's; a refusal is not compute
      } catch (Throwable t) {
        try {
          // As the host raised it (a 402, or a ledger failure answered 500): not the service's failure.
          complete(null, t instanceof RuntimeException e ? e : new IllegalStateException(t));
        } finally {
          end();
        }
        return;
      }
      long computing = System.nanoTime();
      Thread current = Thread.currentThread();
      ClassLoader previous = current.getContextClassLoader();
      current.setContextClassLoader(pluginLoader);
      try {
        finish(work.perform(context), null);
      } catch (Throwable t) {
        finish(null, t);
      } finally {
        current.setContextClassLoader(previous);
        metrics.computed(descriptor.name(), System.nanoTime() - computing);
        end();
      }
    }

    /** Frees the worker from this call and the call's resources. */
    private void end() {
      synchronized (this) {
        worker = null;
        Thread.interrupted();   // an expiry may have interrupted us; never leak that into the next call
      }
      context.release();
    }

    private synchronized boolean begin() {
      if (result.isDone()) {
        context.release();
        return false;      // expired while queued
      }
      worker = Thread.currentThread();
      return true;
    }

    void expire() {
      DeadlineExceededException timeout = new DeadlineExceededException("call " + context.requestId() + " to '"
          + descriptor.name() + "' did not finish within inference.timeout-ms=" + config.timeout().toMillis()
          + "; it was cancelled. Send smaller inputs or ask the operator to raise the timeout");
      if (complete(null, timeout)) {
        context.cancel();
        synchronized (this) {
          if (worker != null) {
            worker.interrupt();
          }
        }
      }
    }

    private void finish(T out, Throwable error) {
      if (error != null && result.isDone()) {
        // The call already expired; this is the service giving up after its interruption.
        LOG.debug("service '{}' ended call {} after its deadline: {}", descriptor.name(), context.requestId(), error.toString());
        return;
      }
      complete(out, error == null ? null : classify(error));
    }

    private boolean complete(T out, RuntimeException error) {
      boolean first = error == null ? result.complete(out) : result.completeExceptionally(error);
      if (first) {
        inFlight.decrementAndGet();
      }
      return first;
    }

    private RuntimeException classify(Throwable t) {
      if (t instanceof InfergateException ie) {
        return ie;
      }
      if (t instanceof InvalidInputException bad) {
        return new BadRequestException("service '" + descriptor.name() + "': " + bad.getMessage());
      }
      LOG.warn("service '{}' failed on call {}", descriptor.name(), context.requestId(), t);
      return new ServiceFailedException("service '" + descriptor.name() + "' failed on call " + context.requestId()
          + ": " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage())
          + ". The call was not charged; report this to the plugin's author if it persists", t);
    }
  }
}
