package io.infergate.host.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Runs the step after a service call on the worker that finished the call, so a paid answer's charge costs no
 * hand-off to another worker and back. When the call was already complete as the route attached the step (a
 * fast call), the route's own thread is an event loop, and the step goes to a Vert.x worker instead: blocking
 * work never runs on an event loop.
 */
final class OnWorker {
  private OnWorker() {}

  /**
   * Runs {@code cleanup} when {@code call} fails, before the failure is answered: on the worker that failed it, or on
   * a Vert.x worker when it had failed already. A failed paid call frees its channel this way, so the client's
   * immediate retry finds it free. The call's failure goes on unchanged (a cleanup failure is only logged).
   */
  static <T> CompletionStage<T> onFailure(Vertx vertx, CompletionStage<T> call, Runnable cleanup) {
    return call.exceptionallyCompose(failure -> {
      if (Context.isOnEventLoopThread()) {
        return vertx.executeBlocking(() -> {
          runQuietly(cleanup);
          return null;
        }).toCompletionStage().thenCompose(ignored -> CompletableFuture.<T>failedStage(failure));
      }
      runQuietly(cleanup);
      return CompletableFuture.failedStage(failure);
    });
  }

  private static void runQuietly(Runnable cleanup) {
    try {
      cleanup.run();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(OnWorker.class).warn("cleanup after a failed call failed", e);
    }
  }

  static <T, R> CompletionStage<R> then(Vertx vertx, CompletionStage<T> call, Function<T, R> step) {
    return call.thenCompose(value -> {
      if (Context.isOnEventLoopThread()) {
        return vertx.executeBlocking(() -> step.apply(value)).toCompletionStage();
      }
      return CompletableFuture.completedFuture(step.apply(value));
    });
  }
}
