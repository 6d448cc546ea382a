package io.infergate.host.models;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.infergate.host.config.HostConfig;
import io.infergate.plugin.api.ModelInfo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JVM's one ONNX Runtime environment and the factory of host-owned sessions.
 *
 * <p>Create it before any plugin loads: ORT permits one {@code OrtEnvironment} per JVM, and its JNI library
 * must bind to the host's classloader (plugins get {@code ai.onnxruntime} from the host, parent-first).
 * The environment itself is closed by ORT's shutdown hook; the host closes its sessions before exit.
 */
public final class OrtRuntime {
  private final OrtEnvironment env;
  private final HostConfig.Runtime config;
  private final ExecutionProviderSetup providers;

  private OrtRuntime(OrtEnvironment env, HostConfig.Runtime config) {
    this.env = env;
    this.config = config;
    this.providers = ExecutionProviderSetup.forEnvironment(config);
  }

  public static OrtRuntime create(HostConfig.Runtime config) {
    OrtNativeLibraries.prepare(config.nativeCacheDir());
    return new OrtRuntime(OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "infergate"), config);
  }

  /** The ONNX Runtime version, e.g. {@code 1.23.2}. */
  public String version() {
    return env.getVersion();
  }

  /**
   * The settings that decide whether outputs are reproducible: ORT version, provider, threads, optimisation
   * level. Shown in metadata now; receipts will hash it.
   */
  public Map<String, String> runtimeProfile(String executionProvider) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("onnxruntime", version());
    p.put("executionProvider", executionProvider);
    p.put("intraOpThreads", Integer.toString(config.intraOpThreads()));
    p.put("optimizationLevel", config.optimizationLevel());
    p.put("arch", System.getProperty("os.arch"));
    return p;
  }

  /** Opens a session on a verified model file. */
  public ModelSession open(String modelName, String contentId, Path file) {
    SessionOptions options = new SessionOptions();
    try {
      options.setOptimizationLevel(optLevel(config.optimizationLevel()));
      if (config.intraOpThreads() > 0) {
        options.setIntraOpNumThreads(config.intraOpThreads());
      }
      options.setInterOpNumThreads(1);
      // Idle spinning burns the cores other workers and the event loops need.
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      String ep = providers.apply(options, modelName);
      OrtSession session = env.createSession(file.toString(), options);
      ModelInfo info = new ModelInfo(modelName, contentId, ModelSession.specs(modelName, session.getInputInfo()),
          ModelSession.specs(modelName, session.getOutputInfo()), ep);
      return new ModelSession(env, session, options, info);
    } catch (OrtException e) {
      options.close();
      throw new ModelLoadException("model '" + modelName + "' (" + contentId + ") cannot be loaded by ONNX Runtime: "
          + e.getMessage() + "; check that the file is a valid ONNX model for ORT " + version(), e);
    } catch (RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private static OptLevel optLevel(String level) {
    return switch (level) {
      case "none" -> OptLevel.NO_OPT;
      case "basic" -> OptLevel.BASIC_OPT;
      case "extended" -> OptLevel.EXTENDED_OPT;
      default -> OptLevel.ALL_OPT;
    };
  }
}
