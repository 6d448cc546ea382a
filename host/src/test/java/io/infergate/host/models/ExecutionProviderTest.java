package io.infergate.host.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.infergate.host.config.ConfigLoader;
import io.infergate.host.config.HostConfig;
import io.infergate.host.testplugins.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU path's failure modes on a machine without CUDA: asking for CUDA with the CPU artifact is a clear
 * start-up error, unless the operator allowed a fallback, which then shows as {@code cpu} in the model info.
 */
class ExecutionProviderTest {
  @TempDir Path dir;

  ModelSession open(Map<String, String> settings) throws Exception {
    Path model = Files.write(dir.resolve("doubler.onnx"), TestModels.DOUBLER);
    HostConfig config = ConfigLoader.builder().environment(Map.of()).overrides(settings).load();
    return OrtRuntime.create(config.runtime()).open("doubler", TestModels.contentId(TestModels.DOUBLER), model);
  }

  @Test
  void cudaWithoutTheGpuArtifactFailsNamingWhatIsMissing() {
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> open(Map.of("runtime.execution-provider", "cuda:1")));
    String m = e.getMessage();
    for (String part : new String[] {"runtime.execution-provider=cuda:1", "onnxruntime_gpu", "CUDA 12", "cuDNN 9",
        "runtime.fallback-to-cpu=true"}) {
      assertTrue(m.contains(part), "message should name '" + part + "': " + m);
    }
  }

  @Test
  void fallbackToCpuIsLoggedAndReported() throws Exception {
    try (ModelSession s = open(Map.of("runtime.execution-provider", "cuda", "runtime.fallback-to-cpu", "true",
        "runtime.strict-device", "true"))) {
      assertEquals("cpu", s.info().executionProvider());
    }
  }

  @Test
  void ortCudaLoadingErrorsAreTranslatedIntoWhatToInstall() {
    assertTrue(ExecutionProviderSetup.explain(new OrtException("Failed to find CUDA shared provider"))
        .contains("gpu Maven profile"));
    assertTrue(ExecutionProviderSetup.explain(new OrtException(
        "OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library libcublasLt.so.12"))
        .contains("CUDA 12 runtime libraries"));
    assertTrue(ExecutionProviderSetup.explain(new OrtException("Could not load library libcudnn.so.9"))
        .contains("cuDNN 9"));
  }

  @Test
  void aBrokenModelFileIsAClearError() throws Exception {
    Path junk = Files.write(dir.resolve("junk.onnx"), new byte[] {1, 2, 3});
    HostConfig config = ConfigLoader.builder().environment(Map.of()).load();
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> OrtRuntime.create(config.runtime()).open("junk", "sha256:00", junk));
    assertTrue(e.getMessage().contains("cannot be loaded by ONNX Runtime"), e.getMessage());
  }
}
