package io.infergate.bench.support;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.file.Path;

/**
 * Bare ORT sessions made the way the host makes them with its defaults ({@code OrtRuntime.open}: intra-op
 * threads 1, inter-op 1, no idle spinning, all graph optimisations, CPU). A floor measured with other settings
 * would compare two different engines, not the host against ORT.
 */
public final class HostSessionOptions {
  private HostSessionOptions() {}

  /** Opens a session; the caller closes both the session and {@code options} (options outlive the session). */
  public static OrtSession open(OrtEnvironment env, Path model, SessionOptions options) throws OrtException {
    options.setOptimizationLevel(OptLevel.ALL_OPT);
    options.setIntraOpNumThreads(1);
    options.setInterOpNumThreads(1);
    options.addConfigEntry("session.intra_op.allow_spinning", "0");
    return env.createSession(model.toString(), options);
  }
}
