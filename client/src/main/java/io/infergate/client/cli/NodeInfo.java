package io.infergate.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.client.ClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code ./infergate dev} writes to {@code .infergate/dev/node.json}: the node's URL, the chain, the
 * contract addresses and the dev consumer. The CLI falls back to it when {@code --node}/{@code --rpc} are not
 * given.
 *
 * <pre>{@code
 * NodeInfo dev = NodeInfo.read(Path.of(".infergate/dev/node.json")).orElseThrow();
 * String url = dev.url();
 * }</pre>
 *
 * @param url the node's base URL
 * @param chainRpc the chain's JSON-RPC URL, or null
 * @param chainId the chain id, 0 when absent
 * @param batchSettlement the channel contract, or null
 * @param erc3009Collector the deposit collector, or null
 * @param consumerPrivateKey the dev consumer's key (dev chains only), or null
 * @param receiptAnchor the {@code ReceiptAnchor}, or null
 * @param serviceRegistry the {@code ServiceRegistry}, or null
 */
public record NodeInfo(String url, String chainRpc, long chainId, String batchSettlement, String erc3009Collector,
    String consumerPrivateKey, String receiptAnchor, String serviceRegistry) {
  /** Where {@code ./infergate dev} writes it. */
  public static final Path DEV_FILE = Path.of(".infergate", "dev", "node.json");

  /** The file's content, or empty when there is no such file. */
  public static Optional<NodeInfo> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = new ObjectMapper().readTree(file.toFile());
      return Optional.of(new NodeInfo(text(n.path("url")), text(n.path("chainRpc")), n.path("chainId").asLong(0),
          text(n.path("contracts").path("batchSettlement")), text(n.path("contracts").path("erc3009Collector")),
          text(n.path("consumer").path("privateKey")), text(n.path("contracts").path("receiptAnchor")),
          text(n.path("contracts").path("serviceRegistry"))));
    } catch (IOException e) {
      throw new ClientException("cannot read " + file + ": " + e.getMessage() + "; restart './infergate dev' or pass --node");
    }
  }

  private static String text(JsonNode n) {
    return n.isTextual() && !n.textValue().isBlank() ? n.textValue() : null;
  }
}
