package io.infergate.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.client.http.PaidNode;
import io.infergate.x402.crypto.PrivateKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infergate client} run in-process with picocli against a real paid node. */
class ClientCommandNodeTest {
  @TempDir Path dir;

  @Test
  void recoverCallAndStatusAgainstTheNode() throws Exception {
    PrivateKey consumer = PrivateKey.random();
    try (PaidNode node = PaidNode.start(dir, BigInteger.valueOf(100_000), consumer)) {
      Path nodeJson = dir.resolve("node.json");
      Files.writeString(nodeJson, "{\"url\":\"" + node.host.baseUri() + "\",\"chainId\":31337}");
      Map<String, String> env = Map.of("CONSUMER_KEY", consumer.toHex());
      String[] common = {"--store", dir.resolve("client.db").toString(), "--key-env", "CONSUMER_KEY",
          "--node-json", nodeJson.toString()};

      assertTrue(run(env, 0, "status", common).contains("no channels"), "fresh store");
      String recovered = run(env, 0, "recover", common, "text-embedding");
      assertTrue(recovered.contains("recovered " + PaidNode.channelOf(consumer) + " balance 100000 charged 0"), recovered);

      String body = run(env, 0, "call", common, "text-embedding", "--data", "{\"texts\":[\"hello from the CLI\"]}");
      assertTrue(body.contains("\"embeddings\""), body);
      run(env, 0, "call", common, "text-embedding", "--data", "{\"texts\":[\"again\"]}");

      String status = run(env, 0, "status", common);
      assertTrue(status.contains(PaidNode.channelOf(consumer) + " payTo ") && status.contains("charged 2000"), status);

      String noKey = run(Map.of(), 1, "status", "--key-env", "MISSING_KEY");
      assertTrue(noKey.contains("set the environment variable MISSING_KEY"), noKey);
    }
  }

  /** Runs the CLI; returns stdout, or stderr when the exit code is not 0. */
  static String run(Map<String, String> env, int expectedExit, String command, String[] common, String... rest) {
    String[] args = new String[1 + rest.length + common.length];
    args[0] = command;
    System.arraycopy(rest, 0, args, 1, rest.length);
    System.arraycopy(common, 0, args, 1 + rest.length, common.length);
    return run(env, expectedExit, args);
  }

  static String run(Map<String, String> env, int expectedExit, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ClientCommand.run(env, new PrintWriter(out), new PrintWriter(err), args);
    assertEquals(expectedExit, code, "exit code; stdout: " + out + " stderr: " + err);
    return expectedExit == 0 ? out.toString() : err.toString();
  }
}
