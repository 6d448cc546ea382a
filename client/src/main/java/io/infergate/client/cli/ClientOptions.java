package io.infergate.client.cli;

import io.infergate.client.ClientException;
import io.infergate.client.channel.ChainChannels;
import io.infergate.client.http.PaidHttpClient;
import io.infergate.client.store.ChannelStore;
import io.infergate.contracts.deploy.CanonicalX402Addresses;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.PrivateKey;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every {@code infergate client} subcommand shares (a picocli mixin): where the node, the chain and
 * the store are, and which environment variable holds the key. Keys never appear on the command line.
 *
 * <pre>{@code
 * infergate client status --store ~/.infergate/client.db --rpc http://127.0.0.1:8545 --key-env CONSUMER_KEY
 * }</pre>
 */
public final class ClientOptions {
  @Option(names = "--node", description = "The node's base URL (default: url from .infergate/dev/node.json, else http://127.0.0.1:8080).")
  String node;

  @Option(names = "--rpc", description = "The chain's JSON-RPC URL, for deposits, withdrawals and on-chain status (default: chainRpc from node.json).")
  String rpc;

  @Option(names = "--chain-id", description = "The chain id (default: from node.json, else 31337).")
  Long chainId;

  @Option(names = "--store", description = "The client's channel store (default: client.db next to the dev node's node.json, else ~/.infergate/client.db).")
  Path store;

  @Option(names = "--key-env", description = "Environment variable holding the payer's private key (0x + 64 hex). Default: INFERGATE_CLIENT_KEY, else the dev consumer of node.json.")
  String keyEnv;

  @Option(names = "--contract", description = "The BatchSettlement contract (default: node.json, else the canonical x402 address).")
  String contract;

  @Option(names = "--collector", description = "The ERC-3009 deposit collector (default: node.json, else the canonical x402 address).")
  String collector;

  @Option(names = "--node-json", description = "Where ./infergate dev wrote its node.json (default: .infergate/dev/node.json).")
  Path nodeJson;

  private Map<String, String> env = System.getenv();

  void environment(Map<String, String> environment) {
    this.env = environment;
  }

  Optional<NodeInfo> dev() {
    return NodeInfo.read(nodeJson != null ? nodeJson : NodeInfo.DEV_FILE);
  }

  URI nodeUrl() {
    String url = node != null ? node : dev().map(NodeInfo::url).orElse("http://127.0.0.1:8080");
    return URI.create(url.endsWith("/") ? url : url + "/");
  }

  /** A service name or path, resolved against the node: {@code text-embedding} is {@code /v1/services/text-embedding}. */
  URI serviceUrl(String target) {
    if (target.startsWith("http://") || target.startsWith("https://")) {
      return URI.create(target);
    }
    String path = target.startsWith("/") ? target.substring(1) : "v1/services/" + target;
    return nodeUrl().resolve(path);
  }

  PrivateKey key() {
    String var = keyEnv != null ? keyEnv : "INFERGATE_CLIENT_KEY";
    String value = env.get(var);
    if (value == null && keyEnv == null) {
      value = dev().map(NodeInfo::consumerPrivateKey).orElse(null);
    }
    if (value == null || value.isBlank()) {
      throw new ClientException("no payer key: set the environment variable " + var
          + " to the key (0x + 64 hex digits) and pass --key-env " + var + "; keys are never taken from the command line");
    }
    try {
      return PrivateKey.parse(value.trim());
    } catch (IllegalArgumentException e) {
      throw new ClientException("the key in " + var + " is not a private key: " + e.getMessage());
    }
  }

  Address contract() {
    return Address.parse(contract != null ? contract
        : dev().map(NodeInfo::batchSettlement).orElse(CanonicalX402Addresses.BATCH_SETTLEMENT));
  }

  Address collector() {
    return Address.parse(collector != null ? collector
        : dev().map(NodeInfo::erc3009Collector).orElse(CanonicalX402Addresses.ERC3009_DEPOSIT_COLLECTOR));
  }

  long chainId() {
    return chainId != null ? chainId : dev().map(NodeInfo::chainId).filter(c -> c > 0).orElse(31337L);
  }

  Optional<String> rpcUrl() {
    return Optional.ofNullable(rpc != null ? rpc : dev().map(NodeInfo::chainRpc).orElse(null));
  }

  /**
   * The channel store: --store, else next to the dev node's node.json when there is one (a dev chain starts
   * afresh every run, and so must the channels it knows), else ~/.infergate/client.db.
   */
  ChannelStore openStore() {
    if (store != null) {
      return ChannelStore.open(store);
    }
    return ChannelStore.open(dev().isPresent()
        ? (nodeJson != null ? nodeJson : NodeInfo.DEV_FILE).resolveSibling("client.db") : ChannelStore.defaultFile());
  }

  /** The chain, or a clear error saying how to give one. */
  ChainChannels chain(PrivateKey key) {
    String url = rpcUrl().orElseThrow(() -> new ClientException(
        "this needs the chain: pass --rpc <url> (or run './infergate dev', which writes node.json)"));
    return ChainChannels.connect(url, chainId(), contract(), collector(), key);
  }

  PaidHttpClient client(ChannelStore s, PrivateKey key, ChainChannels chain) {
    return PaidHttpClient.builder().payer(key).store(s).batchSettlement(contract()).erc3009Collector(collector())
        .chain(chain).build();
  }
}
