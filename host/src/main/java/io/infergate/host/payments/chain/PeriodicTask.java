package io.infergate.host.payments.chain;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A round that runs now and then every {@code interval} (fixed delay) on its own daemon thread, until
 * {@link #close()}: the chain watcher's polls, the claim scheduler's rounds, the receipt anchorer's rounds. The
 * round that throws is logged (WARN, with the thread's name) and runs again at the next tick: a scheduled executor
 * would otherwise stop running it for good, so no caller has to wrap its round against that.
 */
public final class PeriodicTask implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PeriodicTask.class);
  private final ScheduledExecutorService executor;
  private final Duration closeWait;

  private PeriodicTask(ScheduledExecutorService executor, Duration closeWait) {
    this.executor = executor;
    this.closeWait = closeWait;
  }

  /** Starts {@code round} on a daemon thread named {@code threadName}; {@link #close()} waits up to {@code closeWait}. */
  public static PeriodicTask start(String threadName, Duration interval, Duration closeWait, Runnable round) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    Runnable surviving = () -> {
      try {
        round.run();
      } catch (RuntimeException e) {
        LOG.warn("{} round failed (runs again in {} ms): {}", threadName, interval.toMillis(), e.getMessage());
      }
    };
    executor.scheduleWithFixedDelay(surviving, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return new PeriodicTask(executor, closeWait);
  }

  /** Interrupts a running round and waits for it to end (at most the close wait). */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(closeWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
