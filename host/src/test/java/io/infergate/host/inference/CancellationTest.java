package io.infergate.host.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.host.fixtures.TestNode;
import io.infergate.host.fixtures.TestPluginZip;
import io.infergate.host.testplugins.FloatsAdapter;
import io.infergate.host.testplugins.SlowModelService;
import io.infergate.host.testplugins.TestModels;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call past its deadline stops the ORT run itself (RunOptions.setTerminate), not just the HTTP answer:
 * the model here computes for a minute or more, so only a terminated run frees the single worker in time
 * for the next call to be admitted instead of refused.
 */
class CancellationTest {
  @TempDir Path dir;

  @Test
  void aModelRunPastItsDeadlineIsTerminatedAndFreesItsWorker() throws Exception {
    try (TestNode node = TestNode.builder(dir)
        .plugin(TestPluginZip.plugin("slow").extension(SlowModelService.class).include(TestModels.class)
            .include(FloatsAdapter.class))
        .set("inference.workers", "1")
        .set("inference.queue-size", "0")
        .set("inference.timeout-ms", "300")
        .start()) {
      HttpResponse<String> first = node.postJson("/v1/services/slow-model", "{\"x\":[1]}");
      assertEquals(504, first.statusCode(), first.body());
      assertTrue(first.body().contains("inference.timeout-ms=300"), first.body());
      // With no queue, a call is admitted only when the worker is free. Unterminated, the run would hold
      // the worker for the whole chain (about two minutes here: 60 rounds took 4.9 s); terminated, it is free within one MatMul.
      int status = 0;
      for (int attempt = 0; attempt < 100; attempt++) {
        status = node.postJson("/v1/services/slow-model", "{\"x\":[1]}").statusCode();
        if (status != 503) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals(504, status, "the worker should have been freed by terminating the run");
    }
  }
}
