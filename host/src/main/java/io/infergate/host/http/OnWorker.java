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

  static <T, R> CompletionStage<R> then(Vertx vertx, CompletionStage<T> call, Function<T, R> step) {
    return call.thenCompose(value -> {
      if (Context.isOnEventLoopThread()) {
        return vertx.executeBlocking(() -> step.apply(value)).toCompletionStage();
      }
      return CompletableFuture.completedFuture(step.apply(value));
    });
  }
}
