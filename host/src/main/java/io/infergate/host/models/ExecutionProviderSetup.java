package io.infergate.host.models;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.infergate.host.config.ExecutionProvider;
import io.infergate.host.config.HostConfig;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the configured execution provider to session options and says which one is really in use.
 *
 * <p>ORT Java does not fall back to CPU on its own when a GPU provider cannot load: {@code addCUDA} throws.
 * We turn that into a start-up error that names what is missing (the GPU artifact, CUDA 12, cuDNN 9), or,
 * only when the operator asked for it, a logged fallback to CPU that shows in model metadata.
 */
final class ExecutionProviderSetup {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutionProviderSetup.class);

  private final HostConfig.Runtime config;
  private final EnumSet<OrtProvider> available;

  ExecutionProviderSetup(HostConfig.Runtime config, EnumSet<OrtProvider> available) {
    this.config = config;
    this.available = available;
  }

  static ExecutionProviderSetup forEnvironment(HostConfig.Runtime config) {
    return new ExecutionProviderSetup(config, OrtEnvironment.getAvailableProviders());
  }

  /** Adds the provider to {@code options}; returns the provider actually used, e.g. {@code cuda:0} or {@code cpu}. */
  String apply(SessionOptions options, String modelName) throws OrtException {
    ExecutionProvider wanted = config.executionProvider();
    if (wanted.kind() == ExecutionProvider.Kind.CPU) {
      return "cpu";
    }
    if (!available.contains(OrtProvider.CUDA)) {
      return unavailable(modelName, "this build carries the CPU ONNX Runtime artifact, which has no CUDA provider "
          + "(available: " + available + "); build with the gpu Maven profile (com.microsoft.onnxruntime:onnxruntime_gpu)"
          + " and put CUDA 12 and cuDNN 9 on the library path");
    }
    try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(wanted.device())) {
      if (config.cudaMemoryLimitBytes() > 0) {
        cuda.add("gpu_mem_limit", Long.toString(config.cudaMemoryLimitBytes()));
      }
      cuda.add("arena_extend_strategy", config.cudaArenaExtendStrategy());
      cuda.add("cudnn_conv_algo_search", config.cudnnConvAlgoSearch());
      cuda.add("do_copy_in_default_stream", "1");
      options.addCUDA(cuda);
      if (config.strictDevice()) {
        // Only once CUDA is really added: with CPU alone this entry would make every session fail.
        options.addConfigEntry("session.disable_cpu_ep_fallback", "1");
      }
      return wanted.toString();
    } catch (OrtException e) {
      return unavailable(modelName, explain(e));
    }
  }

  /** Turns ORT's CUDA loading errors into what the operator must install. */
  static String explain(OrtException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("Failed to find CUDA shared provider")) {
      return "the CUDA provider library (libonnxruntime_providers_cuda.so) is missing; build with the gpu Maven profile"
          + " (ORT said: " + m + ")";
    }
    if (m.contains("cudnn")) {
      return "cuDNN 9 cannot be loaded; install cuDNN 9 for CUDA 12 and add it to LD_LIBRARY_PATH (ORT said: " + m + ")";
    }
    if (m.contains("Failed to load shared library") || m.contains("cublas") || m.contains("cudart")
        || m.contains("LoadLibrary")) {
      return "the CUDA 12 runtime libraries cannot be loaded; install CUDA 12 (libcudart, libcublas, libcublasLt) and"
          + " cuDNN 9 and add them to LD_LIBRARY_PATH (ORT said: " + m + ")";
    }
    return "ORT could not enable CUDA: " + m;
  }

  private String unavailable(String modelName, String why) {
    String wanted = config.executionProvider().toString();
    if (config.fallbackToCpu()) {
      LOG.warn("model '{}': runtime.execution-provider={} is unavailable, running on CPU because"
          + " runtime.fallback-to-cpu=true: {}", modelName, wanted, why);
      return "cpu";
    }
    throw new ModelLoadException("model '" + modelName + "': runtime.execution-provider=" + wanted
        + " cannot be used: " + why + ". Or set runtime.execution-provider=cpu, or runtime.fallback-to-cpu=true"
        + " to run on CPU when the GPU is unavailable.");
  }
}
