package io.infergate.host.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import io.infergate.host.payments.gate.PaymentSettings;
import io.infergate.x402.crypto.PrivateKey;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;

/**
 * The node's whole configuration, immutable. Built by {@link ConfigLoader}; every field's default and
 * meaning is in {@link ConfigKeys}.
 */
public record HostConfig(Http http, Plugins plugins, Content content, Models models, Runtime runtime,
    Inference inference, Optional<Payments> payments, Map<String, Map<String, String>> serviceSettings) {

  public HostConfig {
    serviceSettings = Map.copyOf(serviceSettings);
  }

  /** The defaults, as if no file, environment or override were given. */
  public static HostConfig defaults() {
    return ConfigLoader.builder().environment(Map.of()).load();
  }

  /** HTTP server settings. */
  public record Http(String host, int port, long maxBodyBytes) {}

  /** Where plugins come from: zips in a directory, and CIDs on the allowlist. */
  public record Plugins(Path dir, Path workDir, List<String> allow) {
    public Plugins {
      allow = List.copyOf(allow);
    }
  }

  /**
   * The content store and where missing content is fetched from.
   *
   * @param sources {@code kind=location} entries, kind one of {@code gateway}, {@code kubo}, {@code car}
   */
  public record Content(Path dir, long maxBytes, List<String> sources, Duration sourceTimeout, int parallelBlocks) {
    public Content {
      sources = List.copyOf(sources);
    }
  }

  /** Where model files are found. */
  public record Models(List<Path> dirs) {
    public Models {
      dirs = List.copyOf(dirs);
    }
  }

  /** ONNX Runtime settings shared by every session. */
  public record Runtime(ExecutionProvider executionProvider, Path nativeCacheDir, boolean fallbackToCpu, boolean strictDevice,
      long cudaMemoryLimitBytes, String cudaArenaExtendStrategy, String cudnnConvAlgoSearch, int intraOpThreads,
      String optimizationLevel) {}

  /**
   * Payments, when on: the gate's settings, and where the channel ledger lives.
   *
   * @param ledger a SQLite file path or a {@code jdbc:postgresql://} URL
   */
  public record Payments(PaymentSettings settings, String ledger, Optional<Chain> chain, Optional<Receipts> receipts) {}

  /**
   * Inference receipts, when on: the key that signs them (from the environment only), the {@code ReceiptAnchor}
   * that is their EIP-712 verifying contract, the {@code ServiceRegistry} that lists the signer (if any), and the
   * provider account signed into each receipt.
   */
  public record Receipts(PrivateKey signerKey, io.infergate.x402.crypto.Address anchor,
      Optional<io.infergate.x402.crypto.Address> registry, io.infergate.x402.crypto.Address provider) {
    @Override
    public String toString() {
      return "Receipts[signer=" + signerKey.address() + ", anchor=" + anchor + ", registry=" + registry
          + ", provider=" + provider + "]";
    }
  }

  /**
   * The chain connection of a paying node: RPC, the facilitator key (gas for deposits and claims), the
   * receiver authorizer key (signs claim batches), and how the watcher and the claim scheduler run.
   */
  public record Chain(String rpcUrl, PrivateKey facilitatorKey, PrivateKey receiverAuthorizerKey, int confirmations,
      Duration pollInterval, BigInteger minUnclaimed, Duration claimTick, Anchoring anchoring) {}

  /**
   * How receipt roots are committed on chain (when receipts are on, a chain is configured and {@code enabled}): a
   * batch every {@code batchSize} receipts or after {@code interval}, whichever first; the anchorer looks every
   * {@code tick}.
   */
  public record Anchoring(boolean enabled, int batchSize, Duration interval, Duration tick) {}

  /** Admission and execution of calls. */
  public record Inference(int workers, int queueSize, Duration timeout, int retryAfterSeconds, Duration drainTimeout) {}
}
