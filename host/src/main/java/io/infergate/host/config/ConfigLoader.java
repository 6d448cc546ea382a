package io.infergate.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import io.infergate.host.payments.gate.PaymentSettings;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.PrivateKey;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a {@link HostConfig} from, in increasing priority: defaults, a JSON file, environment variables,
 * explicit overrides (command line, test kit). Nested JSON objects become dotted keys
 * ({@code {"http": {"port": 9000}}} sets {@code http.port}); arrays become comma-separated values.
 *
 * <pre>{@code HostConfig c = ConfigLoader.builder().file(Path.of("node.json")).override("http.port", "0").load();}</pre>
 */
public final class ConfigLoader {
  private static final Set<String> OPTIMIZATION_LEVELS = Set.of("none", "basic", "extended", "all");
  private static final Set<String> ARENA_STRATEGIES = Set.of("kSameAsRequested", "kNextPowerOfTwo");
  private static final Set<String> CUDNN_SEARCH = Set.of("HEURISTIC", "EXHAUSTIVE", "DEFAULT");

  private Path file;
  private Map<String, String> environment = System.getenv();
  private final Map<String, String> overrides = new LinkedHashMap<>();

  private ConfigLoader() {}

  public static ConfigLoader builder() {
    return new ConfigLoader();
  }

  /** A JSON config file; its keys must be known. */
  public ConfigLoader file(Path file) {
    this.file = file;
    return this;
  }

  /** The environment to read {@code INFERGATE_*} variables from (default: the process environment). */
  public ConfigLoader environment(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    return this;
  }

  /** Sets one key, winning over file and environment. */
  public ConfigLoader override(String key, String value) {
    overrides.put(key, value);
    return this;
  }

  public ConfigLoader overrides(Map<String, String> values) {
    overrides.putAll(values);
    return this;
  }

  public HostConfig load() {
    Map<String, String> values = new HashMap<>();
    for (ConfigKey k : ConfigKeys.all()) {
      values.put(k.name(), k.defaultValue());
    }
    Map<String, String> fromFile = file == null ? Map.of() : readFile(file);
    String fileLabel = file == null ? "" : " in " + file;
    requireKnown(fromFile, fileLabel);
    values.putAll(fromFile);
    for (ConfigKey k : ConfigKeys.all()) {
      String v = environment.get(k.environmentVariable());
      if (v != null) {
        values.put(k.name(), v);
      }
    }
    requireKnown(overrides, " (override)");
    values.putAll(overrides);
    return build(values);
  }

  private static void requireKnown(Map<String, String> values, String where) {
    for (String key : values.keySet()) {
      boolean known = ConfigKeys.all().stream().anyMatch(k -> k.name().equals(key)) || isServiceSetting(key);
      if (!known) {
        throw new ConfigException("unknown configuration key '" + key + "'" + where
            + "; see sdk-docs/operator.md for the keys (per-service settings go under services.<name>.settings.<key>)");
      }
    }
  }

  private static boolean isServiceSetting(String key) {
    String[] parts = key.split("\\.", 4);
    return parts.length == 4 && parts[0].equals("services") && parts[2].equals("settings") && !parts[1].isEmpty()
        && !parts[3].isEmpty();
  }

  private HostConfig build(Map<String, String> v) {
    var http = new HostConfig.Http(
        nonEmpty(v, ConfigKeys.HTTP_HOST),
        intIn(v, ConfigKeys.HTTP_PORT, 0, 65535),
        longIn(v, ConfigKeys.HTTP_MAX_BODY_BYTES, 1024, 1L << 31));
    var plugins = new HostConfig.Plugins(Path.of(nonEmpty(v, ConfigKeys.PLUGINS_DIR)),
        Path.of(nonEmpty(v, ConfigKeys.PLUGINS_WORK_DIR)), list(v, ConfigKeys.PLUGINS_ALLOW));
    List<Path> modelDirs = list(v, ConfigKeys.MODELS_DIRS).stream().map(Path::of).toList();
    List<String> sources = list(v, ConfigKeys.CONTENT_SOURCES);
    for (String source : sources) {
      if (!source.matches("(gateway|kubo)=https?://\\S+|car=\\S+")) {
        throw new ConfigException(ConfigKeys.CONTENT_SOURCES.name() + ": '" + source
            + "' is not a source; use gateway=<http url>, kubo=<http rpc url> or car=<directory>");
      }
    }
    var content = new HostConfig.Content(Path.of(nonEmpty(v, ConfigKeys.CONTENT_DIR)),
        longIn(v, ConfigKeys.CONTENT_MAX_BYTES, 1 << 20, Long.MAX_VALUE), sources,
        Duration.ofMillis(longIn(v, ConfigKeys.CONTENT_SOURCE_TIMEOUT, 100, 86_400_000)),
        intIn(v, ConfigKeys.CONTENT_PARALLEL_BLOCKS, 1, 256));
    var runtime = new HostConfig.Runtime(
        parse(v, ConfigKeys.RUNTIME_EP, ExecutionProvider::parse),
        homePath(nonEmpty(v, ConfigKeys.RUNTIME_NATIVE_CACHE)),
        bool(v, ConfigKeys.RUNTIME_FALLBACK_TO_CPU),
        bool(v, ConfigKeys.RUNTIME_STRICT_DEVICE),
        longIn(v, ConfigKeys.RUNTIME_CUDA_MEMORY_LIMIT, 0, Long.MAX_VALUE),
        oneOf(v, ConfigKeys.RUNTIME_CUDA_ARENA, ARENA_STRATEGIES),
        oneOf(v, ConfigKeys.RUNTIME_CUDA_CUDNN_SEARCH, CUDNN_SEARCH),
        intIn(v, ConfigKeys.RUNTIME_INTRA_OP_THREADS, 0, 1024),
        oneOf(v, ConfigKeys.RUNTIME_OPTIMIZATION, OPTIMIZATION_LEVELS));
    int workers = intIn(v, ConfigKeys.INFERENCE_WORKERS, 0, 1024);
    var inference = new HostConfig.Inference(
        workers == 0 ? Runtime.getRuntime().availableProcessors() : workers,
        intIn(v, ConfigKeys.INFERENCE_QUEUE_SIZE, 0, 1_000_000),
        Duration.ofMillis(longIn(v, ConfigKeys.INFERENCE_TIMEOUT_MS, 1, 3_600_000)),
        intIn(v, ConfigKeys.INFERENCE_RETRY_AFTER, 0, 3600),
        Duration.ofMillis(longIn(v, ConfigKeys.INFERENCE_DRAIN_MS, 0, 600_000)));
    return new HostConfig(http, plugins, content, new HostConfig.Models(modelDirs), runtime, inference,
        payments(v, inference, environment), serviceSettings(v));
  }

  private static Optional<HostConfig.Payments> payments(Map<String, String> v, HostConfig.Inference inference,
      Map<String, String> environment) {
    if (!bool(v, ConfigKeys.PAYMENTS_ENABLED)) {
      return Optional.empty();
    }
    long withdrawDelay = longIn(v, ConfigKeys.PAYMENTS_WITHDRAW_DELAY, 900, 2_592_000);
    Duration leaseTtl = Duration.ofMillis(longIn(v, ConfigKeys.PAYMENTS_LEASE_TTL, 1000, 3_600_000));
    if (leaseTtl.compareTo(inference.timeout()) <= 0) {
      throw new ConfigException(ConfigKeys.PAYMENTS_LEASE_TTL.name() + " (" + leaseTtl.toMillis()
          + ") must be above inference.timeout-ms (" + inference.timeout().toMillis()
          + "), or a slow call could lose its channel lease before it is charged");
    }
    PaymentSettings settings = new PaymentSettings(
        longIn(v, ConfigKeys.PAYMENTS_CHAIN_ID, 1, Long.MAX_VALUE),
        address(v, ConfigKeys.PAYMENTS_BATCH_SETTLEMENT), address(v, ConfigKeys.PAYMENTS_COLLECTOR),
        address(v, ConfigKeys.PAYMENTS_ASSET), nonEmpty(v, ConfigKeys.PAYMENTS_ASSET_NAME),
        nonEmpty(v, ConfigKeys.PAYMENTS_ASSET_VERSION), address(v, ConfigKeys.PAYMENTS_PAY_TO),
        address(v, ConfigKeys.PAYMENTS_RECEIVER_AUTHORIZER), withdrawDelay,
        longIn(v, ConfigKeys.PAYMENTS_MAX_TIMEOUT, 1, 86_400), leaseTtl);
    return Optional.of(new HostConfig.Payments(settings, nonEmpty(v, ConfigKeys.PAYMENTS_LEDGER),
        chain(v, settings, environment), receipts(v, settings, environment)));
  }

  private static Optional<HostConfig.Receipts> receipts(Map<String, String> v, PaymentSettings settings,
      Map<String, String> environment) {
    if (!bool(v, ConfigKeys.RECEIPTS_ENABLED)) {
      return Optional.empty();
    }
    String anchor = v.get(ConfigKeys.RECEIPTS_ANCHOR.name()).trim();
    if (anchor.isEmpty()) {
      throw new ConfigException("receipts are on (payments.enabled=true, receipts.enabled=true) but receipts.anchor"
          + " is empty; set it to the ReceiptAnchor contract's address (the receipts' EIP-712 verifyingContract), or"
          + " set receipts.enabled=false to serve paid calls without receipts");
    }
    String var = nonEmpty(v, ConfigKeys.RECEIPTS_SIGNER_KEY_ENV);
    String hex = environment.get(var);
    if (hex == null || hex.isBlank()) {
      throw new ConfigException("receipts are on but $" + var + " (" + ConfigKeys.RECEIPTS_SIGNER_KEY_ENV.name()
          + ") is empty; export the receipt signer's hex private key in that environment variable (register its"
          + " address as the services' receiptSigner), or set receipts.enabled=false");
    }
    PrivateKey signer;
    try {
      signer = PrivateKey.parse(hex.trim());
    } catch (RuntimeException e) {
      throw new ConfigException("$" + var + " (" + ConfigKeys.RECEIPTS_SIGNER_KEY_ENV.name()
          + ") is not a hex private key: " + e.getMessage());
    }
    String registry = v.get(ConfigKeys.RECEIPTS_REGISTRY.name()).trim();
    String provider = v.get(ConfigKeys.RECEIPTS_PROVIDER.name()).trim();
    return Optional.of(new HostConfig.Receipts(signer, parseAddress(ConfigKeys.RECEIPTS_ANCHOR, anchor),
        registry.isEmpty() ? Optional.empty() : Optional.of(parseAddress(ConfigKeys.RECEIPTS_REGISTRY, registry)),
        provider.isEmpty() ? settings.payTo() : parseAddress(ConfigKeys.RECEIPTS_PROVIDER, provider)));
  }

  private static Address parseAddress(ConfigKey k, String s) {
    try {
      return Address.parse(s);
    } catch (RuntimeException e) {
      throw new ConfigException(k.name() + ": '" + s + "' is not an address: " + e.getMessage());
    }
  }

  private static Optional<HostConfig.Chain> chain(Map<String, String> v, PaymentSettings settings,
      Map<String, String> environment) {
    String rpc = v.get(ConfigKeys.PAYMENTS_RPC_URL.name()).trim();
    if (rpc.isEmpty()) {
      return Optional.empty();
    }
    if (!rpc.matches("https?://\\S+")) {
      throw new ConfigException(ConfigKeys.PAYMENTS_RPC_URL.name() + ": '" + rpc + "' is not an http(s) URL");
    }
    PrivateKey facilitator = key(v, ConfigKeys.PAYMENTS_FACILITATOR_KEY_ENV, environment);
    PrivateKey authorizer = key(v, ConfigKeys.PAYMENTS_RECEIVER_AUTHORIZER_KEY_ENV, environment);
    if (!authorizer.address().equals(settings.receiverAuthorizer())) {
      throw new ConfigException("the key in $" + v.get(ConfigKeys.PAYMENTS_RECEIVER_AUTHORIZER_KEY_ENV.name())
          + " is for " + authorizer.address() + " but payments.receiver-authorizer is " + settings.receiverAuthorizer()
          + "; claims signed with it would be refused");
    }
    return Optional.of(new HostConfig.Chain(rpc, facilitator, authorizer,
        intIn(v, ConfigKeys.PAYMENTS_CONFIRMATIONS, 0, 1000),
        Duration.ofMillis(longIn(v, ConfigKeys.PAYMENTS_CHAIN_POLL_MS, 10, 600_000)),
        new java.math.BigInteger(String.valueOf(longIn(v, ConfigKeys.PAYMENTS_CLAIM_MIN_UNCLAIMED, 0, Long.MAX_VALUE))),
        Duration.ofMillis(longIn(v, ConfigKeys.PAYMENTS_CLAIM_TICK_MS, 10, 3_600_000)),
        new HostConfig.Anchoring(bool(v, ConfigKeys.RECEIPTS_ANCHORING_ENABLED),
            intIn(v, ConfigKeys.RECEIPTS_ANCHORING_BATCH_SIZE, 1, 1 << 20),
            Duration.ofMillis(longIn(v, ConfigKeys.RECEIPTS_ANCHORING_INTERVAL_MS, 100, 86_400_000)),
            Duration.ofMillis(longIn(v, ConfigKeys.RECEIPTS_ANCHORING_TICK_MS, 10, 3_600_000)))));
  }

  /** A private key read from the environment variable a config key names; never from the config itself. */
  private static PrivateKey key(Map<String, String> v, ConfigKey k, Map<String, String> environment) {
    String var = nonEmpty(v, k);
    String hex = environment.get(var);
    if (hex == null || hex.isBlank()) {
      throw new ConfigException("payments.rpc-url is set but $" + var + " (" + k.name() + ") is empty; export the"
          + " hex private key in that environment variable");
    }
    try {
      return PrivateKey.parse(hex.trim());
    } catch (RuntimeException e) {
      throw new ConfigException("$" + var + " (" + k.name() + ") is not a hex private key: " + e.getMessage());
    }
  }

  private static Address address(Map<String, String> v, ConfigKey k) {
    String s = v.get(k.name()).trim();
    if (s.isEmpty()) {
      throw new ConfigException(k.name() + " must be set when payments.enabled=true (" + k.doc() + ")");
    }
    try {
      return Address.parse(s);
    } catch (RuntimeException e) {
      throw new ConfigException(k.name() + ": '" + s + "' is not an address: " + e.getMessage());
    }
  }

  private static List<String> list(Map<String, String> v, ConfigKey k) {
    return Arrays.stream(v.get(k.name()).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** A path where a leading {@code ~/} means the user's home directory. */
  private static Path homePath(String value) {
    return value.startsWith("~/") ? Path.of(System.getProperty("user.home"), value.substring(2)) : Path.of(value);
  }

  private static Map<String, Map<String, String>> serviceSettings(Map<String, String> v) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (var e : v.entrySet()) {
      if (isServiceSetting(e.getKey())) {
        String[] parts = e.getKey().split("\\.", 4);
        out.computeIfAbsent(parts[1], s -> new LinkedHashMap<>()).put(parts[3], e.getValue());
      }
    }
    Map<String, Map<String, String>> frozen = new LinkedHashMap<>();
    out.forEach((k, m) -> frozen.put(k, Map.copyOf(m)));
    return frozen;
  }

  private static String nonEmpty(Map<String, String> v, ConfigKey k) {
    String s = v.get(k.name()).trim();
    if (s.isEmpty()) {
      throw new ConfigException(k.name() + " must not be empty (" + k.doc() + ")");
    }
    return s;
  }

  private static <T> T parse(Map<String, String> v, ConfigKey k, Function<String, T> parser) {
    try {
      return parser.apply(v.get(k.name()).trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(k.name() + ": " + e.getMessage());
    }
  }

  private static boolean bool(Map<String, String> v, ConfigKey k) {
    String s = v.get(k.name()).trim();
    if (!s.equals("true") && !s.equals("false")) {
      throw new ConfigException(k.name() + " must be true or false, got '" + s + "'");
    }
    return Boolean.parseBoolean(s);
  }

  private static int intIn(Map<String, String> v, ConfigKey k, int min, int max) {
    return (int) longIn(v, k, min, max);
  }

  private static long longIn(Map<String, String> v, ConfigKey k, long min, long max) {
    String s = v.get(k.name()).trim();
    long n;
    try {
      n = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new ConfigException(k.name() + " must be a whole number, got '" + s + "' (" + k.doc() + ")");
    }
    if (n < min || n > max) {
      throw new ConfigException(k.name() + " must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  private static String oneOf(Map<String, String> v, ConfigKey k, Set<String> allowed) {
    String s = v.get(k.name()).trim();
    if (!allowed.contains(s)) {
      throw new ConfigException(k.name() + " must be one of " + allowed + ", got '" + s + "'");
    }
    return s;
  }

  private static Map<String, String> readFile(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException("config file " + file + " must hold a JSON object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    flatten("", root, out);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        var e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(n -> items.add(n.asText()));
      out.put(prefix, String.join(",", items));
    } else {
      out.put(prefix, node.asText());
    }
  }
}
