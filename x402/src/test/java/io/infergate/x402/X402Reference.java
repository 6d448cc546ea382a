package io.infergate.x402;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The npm x402 reference implementation ({@code @x402/evm} + {@code @x402/core} 2.27.0, viem) as a peer for the
 * payments tests: {@code x402/src/test/js/x402-reference.cjs} run with {@code node} from PATH, one
 * process per test class, one JSON request and reply per line.
 */
public final class X402Reference implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final BufferedWriter in;
  private final BufferedReader out;

  private X402Reference(Process process) {
    this.process = process;
    this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Finds {@code tools/} by walking up from the working directory and starts the reference script. */
  public static X402Reference start() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("tools/package.json"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no tools/package.json above " + Path.of("").toAbsolutePath()
          + "; run the tests from inside the repository");
    }
    Path tools = dir.resolve("tools");
    if (!Files.isDirectory(tools.resolve("node_modules/@x402/evm"))
        || !Files.isDirectory(tools.resolve("node_modules/viem"))) {
      throw new IllegalStateException("tools/node_modules lacks @x402/evm or viem: run npm ci --prefix tools");
    }
    try {
      ProcessBuilder pb = new ProcessBuilder("node", dir.resolve("x402/src/test/js/x402-reference.cjs").toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT);
      pb.environment().put("INFERGATE_TOOLS", tools.toString());
      return new X402Reference(pb.start());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start node (Node 20 must be on PATH): " + e.getMessage(), e);
    }
  }

  /** A request object to fill and pass to {@link #call}. */
  public static ObjectNode request(String cmd) {
    return JSON.createObjectNode().put("cmd", cmd);
  }

  /** Sends one request; returns its result or fails the test with the reference's error. */
  public synchronized JsonNode call(ObjectNode request) {
    JsonNode reply = send(request);
    if (!reply.path("ok").asBoolean()) {
      throw new AssertionError("x402 reference failed on " + request.path("cmd").asText() + ": "
          + reply.path("error").asText());
    }
    return reply.path("result");
  }

  /** Sends one request that must fail; returns the reference's error message. */
  public synchronized String callFailing(ObjectNode request) {
    JsonNode reply = send(request);
    if (reply.path("ok").asBoolean()) {
      throw new AssertionError("x402 reference accepted " + request + ": " + reply.path("result"));
    }
    return reply.path("error").asText();
  }

  private JsonNode send(ObjectNode request) {
    try {
      in.write(JSON.writeValueAsString(request));
      in.write('\n');
      in.flush();
      String line = out.readLine();
      if (line == null) {
        throw new AssertionError("x402 reference exited (code " + process.waitFor() + ")");
      }
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("talking to the x402 reference failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    try {
      in.close();
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      // fall through to destroy
    }
    process.destroy();
  }
}
