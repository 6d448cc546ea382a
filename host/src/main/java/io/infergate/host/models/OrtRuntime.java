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
  private final java.util.concurrent.ConcurrentMap<String, RuntimeProfile> profiles =
      new java.util.concurrent.ConcurrentHashMap<>();

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
   * The settings that decide whether outputs are reproducible (see {@link RuntimeProfile}) for sessions on
   * {@code executionProvider} (as a session reports it: {@code cpu}, {@code cuda:0}, ...). Receipts sign its hash.
   */
  public RuntimeProfile runtimeProfile(String executionProvider) {
    return profiles.computeIfAbsent(executionProvider, this::profileOf);
  }

  /**
   * The profile of a service whose models run on {@code executionProviders}: the one provider they share, or
   * all of them joined with {@code +} in sorted order; {@code none} for a service without models.
   */
  public RuntimeProfile runtimeProfile(java.util.Collection<String> executionProviders) {
    java.util.SortedSet<String> eps = new java.util.TreeSet<>(executionProviders);
    return runtimeProfile(eps.isEmpty() ? "none" : String.join("+", eps));
  }

  private RuntimeProfile profileOf(String executionProvider) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("onnxruntime", version());
    p.put("executionProvider", executionProvider);
    // 0 lets ORT choose from the machine's cores, so the count it chooses is part of the profile too.
    p.put("intraOpThreads", config.intraOpThreads() > 0 ? Integer.toString(config.intraOpThreads())
        : "default:" + java.lang.Runtime.getRuntime().availableProcessors());
    p.put("interOpThreads", "1");
    p.put("optimizationLevel", config.optimizationLevel());
    p.put("executionMode", "sequential");
    p.put("cpuFallback", Boolean.toString(!config.strictDevice()));
    p.put("arch", System.getProperty("os.arch"));
    p.put("cpuClass", CpuClass.current());
    p.put("java", Integer.toString(java.lang.Runtime.version().feature()));
    if (executionProvider.contains("cuda")) {
      p.put("cudnnConvAlgoSearch", config.cudnnConvAlgoSearch());
    }
    return RuntimeProfile.of(p);
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
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);   // part of the runtime profile
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
