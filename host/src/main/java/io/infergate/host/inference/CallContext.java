package io.infergate.host.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.RunOptions;
import io.infergate.host.errors.DeadlineExceededException;
import io.infergate.host.models.ModelSession;
import io.infergate.plugin.api.InferenceContext;
import io.infergate.plugin.api.ModelInfo;
import io.infergate.plugin.api.ModelRunner;
import io.infergate.plugin.api.Tensor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host side of one call. Every model run of the call uses a {@link RunOptions} registered here, so
 * {@link #cancel()} can stop all of them; the options are closed when the call ends.
 */
final class CallContext implements InferenceContext {
  private final String service;
  private final Map<String, ModelSession> models;
  private final Instant deadline;
  private final String requestId;
  private final List<RunOptions> runs = new ArrayList<>();
  private boolean cancelled;

  CallContext(String service, Map<String, ModelSession> models, Instant deadline, String requestId) {
    this.service = service;
    this.models = models;
    this.deadline = deadline;
    this.requestId = requestId;
  }

  @Override
  public ModelRunner model(String name) {
    ModelSession session = models.get(name);
    if (session == null) {
      throw new IllegalArgumentException("service '" + service + "' did not declare a model named '" + name
          + "'; declared: " + models.keySet());
    }
    return new BoundRunner(session);
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public String requestId() {
    return requestId;
  }

  /** Terminates every run of this call, now and later. */
  synchronized void cancel() {
    cancelled = true;
    for (RunOptions r : runs) {
      try {
        r.setTerminate(true);
      } catch (OrtException e) {
        // The run is ending anyway; nothing else to do.
      }
    }
  }

  /** Closes the run options once the call is over (no run uses them any more). */
  synchronized void release() {
    runs.forEach(RunOptions::close);
    runs.clear();
  }

  private synchronized RunOptions newRun() throws OrtException {
    if (cancelled) {
      throw new DeadlineExceededException("call " + requestId + " to '" + service + "' passed its deadline");
    }
    RunOptions r = new RunOptions();
    runs.add(r);
    return r;
  }

  private final class BoundRunner implements ModelRunner {
    private final ModelSession session;

    BoundRunner(ModelSession session) {
      this.session = session;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
      return run(inputs, Set.of());
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
      try {
        return session.run(inputs, outputs, newRun());
      } catch (OrtException e) {
        if (isCancelled()) {
          throw new DeadlineExceededException("call " + requestId + " to '" + service + "' passed its deadline;"
              + " its model run was terminated");
        }
        throw new ModelRunException("model '" + session.info().name() + "' failed: " + e.getMessage(), e);
      }
    }

    @Override
    public ModelInfo info() {
      return session.info();
    }
  }

  private synchronized boolean isCancelled() {
    return cancelled;
  }
}
