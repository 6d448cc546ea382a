package io.infergate.contracts.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.infergate.contracts.generated.DevUsd;
import io.infergate.contracts.logs.LogRangeRefusedException;
import io.infergate.contracts.logs.LogReader;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;

/**
 * eth_getLogs on anvil with real Transfer events, through a JSON-RPC front that behaves like a public provider:
 * it refuses spans above a cap with the kind of error those providers send, or refuses the method outright.
 */
class LogReaderTest {
  private static final int MINTS = 24;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ChainFixture f;
  private static long firstBlock;
  private static long lastBlock;

  @BeforeAll
  static void chainWithEvents() throws Exception {
    f = new ChainFixture();
    DevUsd token = f.tokenAs(f.facilitator);
    for (int i = 1; i <= MINTS; i++) {
      var receipt = token.mint(f.receiver, BigInteger.valueOf(i)).send();     // one block each (automine)
      long block = receipt.getBlockNumber().longValueExact();
      firstBlock = i == 1 ? block : firstBlock;
      lastBlock = block;
    }
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void aNodeThatServesAnyRangeAnswersInOneRequest() throws Exception {
    LogReader reader = new LogReader(f.web3j);
    List<Log> logs = reader.readToHead(0, this::transfersToReceiver);
    assertMintsInOrder(logs);
    assertEquals(1, reader.requests());
  }

  @Test
  void rangesAboveAProvidersCapAreSplitUntilServedAndStayInBlockOrder() throws Exception {
    try (RpcFront front = new RpcFront(f.chain.rpcUrl(), 8, false)) {
      Web3j capped = Web3j.build(new HttpService(front.url()));
      try {
        LogReader reader = new LogReader(capped);
        List<Log> logs = reader.readToHead(0, this::transfersToReceiver);
        assertMintsInOrder(logs);
        assertTrue(reader.requests() > 1, "split into " + reader.requests() + " requests");
        assertTrue(front.refused.get() > 0);
      } finally {
        capped.shutdown();
      }
    }
  }

  @Test
  void aRefusalThatIsNotAboutSizeIsReportedAtOnceWithTheNodesWords() throws Exception {
    try (RpcFront front = new RpcFront(f.chain.rpcUrl(), Integer.MAX_VALUE, true)) {
      Web3j denying = Web3j.build(new HttpService(front.url()));
      try {
        LogReader reader = new LogReader(denying);
        LogRangeRefusedException e = assertThrows(LogRangeRefusedException.class,
            () -> reader.readToHead(0, this::transfersToReceiver));
        assertTrue(e.getMessage().contains("method eth_getLogs is not available"), e.getMessage());
        assertTrue(e.getMessage().contains("full or archive node"), e.getMessage());
        assertEquals(1, reader.requests(), "no splitting for an error splitting cannot fix");
      } finally {
        denying.shutdown();
      }
    }
  }

  @Test
  void sizeLimitMessagesOfCommonProvidersAreRecognised() {
    for (String m : List.of("query exceeds max block range 10000", "Log response size exceeded.",
        "query returned more than 10000 results", "eth_getLogs is limited to a 10,000 range",
        "block range is too large")) {
      assertTrue(LogReader.readsLikeASizeLimit(m), m);
    }
    assertFalse(LogReader.readsLikeASizeLimit("method eth_getLogs is not available"));
  }

  private EthFilter transfersToReceiver(org.web3j.protocol.core.DefaultBlockParameterNumber from,
      org.web3j.protocol.core.DefaultBlockParameterNumber to) {
    EthFilter filter = new EthFilter(from, to, f.contracts.token());
    filter.addSingleTopic(EventEncoder.encode(DevUsd.TRANSFER_EVENT));
    filter.addNullTopic();
    filter.addSingleTopic("0x" + "0".repeat(24) + f.receiver.substring(2).toLowerCase(java.util.Locale.ROOT));
    return filter;
  }

  private static void assertMintsInOrder(List<Log> logs) {
    assertEquals(MINTS, logs.size());
    for (int i = 0; i < MINTS; i++) {
      Log log = logs.get(i);
      assertEquals(BigInteger.valueOf(i + 1), new BigInteger(log.getData().substring(2), 16), "mint " + (i + 1));
      long block = log.getBlockNumber().longValueExact();
      assertTrue(block >= firstBlock && block <= lastBlock);
    }
  }

  /** A JSON-RPC front for anvil that refuses eth_getLogs spans above {@code cap} (or the method, if told to). */
  private static final class RpcFront implements AutoCloseable {
    final AtomicInteger refused = new AtomicInteger();
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    RpcFront(String upstream, int cap, boolean denyLogs) throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        byte[] body = exchange.getRequestBody().readAllBytes();
        JsonNode request = JSON.readTree(body);
        byte[] answer;
        String error = request.path("method").asText().equals("eth_getLogs") ? refusal(request, cap, denyLogs) : null;
        if (error != null) {
          refused.incrementAndGet();
          ObjectNode out = JSON.createObjectNode().put("jsonrpc", "2.0");
          out.set("id", request.path("id"));
          out.putObject("error").put("code", -32005).put("message", error);
          answer = JSON.writeValueAsBytes(out);
        } else {
          try {
            answer = http.send(HttpRequest.newBuilder(URI.create(upstream)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray())
                .body();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException(e);
          }
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
      });
      server.start();
    }

    private static String refusal(JsonNode request, int cap, boolean denyLogs) {
      if (denyLogs) {
        return "method eth_getLogs is not available";
      }
      JsonNode filter = request.path("params").path(0);
      long from = Long.decode(filter.path("fromBlock").asText());
      long to = Long.decode(filter.path("toBlock").asText());
      return to - from + 1 > cap ? "query exceeds max block range " + cap : null;
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
