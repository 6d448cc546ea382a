package io.infergate.host.config;

import java.util.List;

/** Every configuration option of the node, with its default. The operator reference lists exactly these. */
public final class ConfigKeys {
  private ConfigKeys() {}

  public static final ConfigKey HTTP_HOST = new ConfigKey("http.host", "127.0.0.1",
      "Interface the HTTP server binds to; 0.0.0.0 for all.");
  public static final ConfigKey HTTP_PORT = new ConfigKey("http.port", "8080",
      "HTTP port; 0 picks a free one.");
  public static final ConfigKey HTTP_MAX_BODY_BYTES = new ConfigKey("http.max-body-bytes", "16777216",
      "Largest accepted request body in bytes; larger bodies get 413.");
  public static final ConfigKey PLUGINS_DIR = new ConfigKey("plugins.dir", "plugins",
      "Directory scanned for plugin zips at start-up.");
  public static final ConfigKey PLUGINS_WORK_DIR = new ConfigKey("plugins.work-dir", ".infergate/plugins",
      "Where plugin zips are unpacked before loading (one directory per zip digest).");
  public static final ConfigKey PLUGINS_ALLOW = new ConfigKey("plugins.allow", "",
      "Comma-separated CIDs of plugin zips to fetch, verify and load at start-up (the operator's allowlist).");
  public static final ConfigKey CONTENT_DIR = new ConfigKey("content.dir", ".infergate/content",
      "The content store: verified IPFS blocks and files, keyed by CID.");
  public static final ConfigKey CONTENT_MAX_BYTES = new ConfigKey("content.max-bytes", "21474836480",
      "Size budget of the content store in bytes; unpinned content is collected to stay under it.");
  public static final ConfigKey CONTENT_SOURCES = new ConfigKey("content.sources", "",
      "Comma-separated sources tried in order: gateway=<url> (trustless gateway, e.g. another node), kubo=<rpc url>, car=<dir>.");
  public static final ConfigKey CONTENT_SOURCE_TIMEOUT = new ConfigKey("content.source-timeout-ms", "120000",
      "Deadline for one source to deliver a whole DAG before the next source is tried.");
  public static final ConfigKey CONTENT_PARALLEL_BLOCKS = new ConfigKey("content.parallel-blocks", "8",
      "Missing blocks fetched at once from one source when a fetch resumes block by block (memory: this x 2 MiB).");
  public static final ConfigKey MODELS_DIRS = new ConfigKey("models.dirs", "models",
      "Comma-separated directories of local model files; a file whose sha256 or UnixFS CID is wanted is used (and imported).");
  public static final ConfigKey RUNTIME_EP = new ConfigKey("runtime.execution-provider", "cpu",
      "ONNX Runtime execution provider: cpu, cuda (device 0) or cuda:N.");
  public static final ConfigKey RUNTIME_NATIVE_CACHE = new ConfigKey("runtime.native-cache-dir", "~/.cache/infergate/native",
      "Where ONNX Runtime's native libraries are extracted once and reused (ignored if -Donnxruntime.native.path is set).");
  public static final ConfigKey RUNTIME_FALLBACK_TO_CPU = new ConfigKey("runtime.fallback-to-cpu", "false",
      "If the configured GPU provider cannot load, log it and run on CPU instead of failing start-up.");
  public static final ConfigKey RUNTIME_STRICT_DEVICE = new ConfigKey("runtime.strict-device", "false",
      "Fail instead of silently placing unsupported graph nodes on CPU (session.disable_cpu_ep_fallback=1).");
  public static final ConfigKey RUNTIME_CUDA_MEMORY_LIMIT = new ConfigKey("runtime.cuda.memory-limit-bytes", "0",
      "CUDA arena limit per session in bytes (gpu_mem_limit); 0 means no limit.");
  public static final ConfigKey RUNTIME_CUDA_ARENA = new ConfigKey("runtime.cuda.arena-extend-strategy", "kSameAsRequested",
      "CUDA arena growth: kSameAsRequested (less waste) or kNextPowerOfTwo (ORT's default).");
  public static final ConfigKey RUNTIME_CUDA_CUDNN_SEARCH = new ConfigKey("runtime.cuda.cudnn-conv-algo-search", "HEURISTIC",
      "cuDNN convolution algorithm search: HEURISTIC, EXHAUSTIVE (slow first run per shape) or DEFAULT.");
  public static final ConfigKey RUNTIME_INTRA_OP_THREADS = new ConfigKey("runtime.intra-op-threads", "1",
      "ORT intra-op threads per session run; keep workers x threads <= cores (0 = ORT's default).");
  public static final ConfigKey RUNTIME_OPTIMIZATION = new ConfigKey("runtime.optimization-level", "all",
      "Graph optimisation: none, basic, extended or all.");
  public static final ConfigKey INFERENCE_WORKERS = new ConfigKey("inference.workers", "0",
      "Worker threads per service running inference; 0 means one per CPU core.");
  public static final ConfigKey INFERENCE_QUEUE_SIZE = new ConfigKey("inference.queue-size", "64",
      "Calls waiting per service before new ones get 503 with Retry-After.");
  public static final ConfigKey INFERENCE_TIMEOUT_MS = new ConfigKey("inference.timeout-ms", "30000",
      "Deadline of one call in milliseconds, queueing included; late calls are cancelled with 504.");
  public static final ConfigKey INFERENCE_RETRY_AFTER = new ConfigKey("inference.retry-after-seconds", "1",
      "Retry-After value sent with 503 when a service's queue is full.");
  public static final ConfigKey INFERENCE_DRAIN_MS = new ConfigKey("inference.drain-timeout-ms", "10000",
      "On shutdown, how long to wait for in-flight calls before closing the models.");

  public static final ConfigKey PAYMENTS_ENABLED = new ConfigKey("payments.enabled", "false",
      "Gate every inference and service route behind x402 batch-settlement payments.");
  public static final ConfigKey PAYMENTS_CHAIN_ID = new ConfigKey("payments.chain-id", "31337",
      "EVM chain id of the payment channels (31337: a local anvil chain).");
  public static final ConfigKey PAYMENTS_BATCH_SETTLEMENT = new ConfigKey("payments.batch-settlement",
      "0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003",
      "Address of the BatchSettlement contract (default: the canonical x402 address).");
  public static final ConfigKey PAYMENTS_COLLECTOR = new ConfigKey("payments.erc3009-collector",
      "0x4020806089470a89826cB9fB1f4059150b550004",
      "Address of the ERC-3009 deposit collector (default: the canonical x402 address).");
  public static final ConfigKey PAYMENTS_ASSET = new ConfigKey("payments.asset", "",
      "Address of the ERC-20 token calls are paid in (required when payments are on).");
  public static final ConfigKey PAYMENTS_ASSET_NAME = new ConfigKey("payments.asset-name", "",
      "The token's EIP-712 domain name, which clients sign ERC-3009 deposits under (required when payments are on).");
  public static final ConfigKey PAYMENTS_ASSET_VERSION = new ConfigKey("payments.asset-version", "1",
      "The token's EIP-712 domain version.");
  public static final ConfigKey PAYMENTS_PAY_TO = new ConfigKey("payments.pay-to", "",
      "Address paid for services whose descriptor names no payTo (required when payments are on).");
  public static final ConfigKey PAYMENTS_RECEIVER_AUTHORIZER = new ConfigKey("payments.receiver-authorizer", "",
      "Address of the key that authorizes claims and refunds for this node (required when payments are on).");
  public static final ConfigKey PAYMENTS_WITHDRAW_DELAY = new ConfigKey("payments.withdraw-delay-seconds", "86400",
      "Withdrawal delay channels must use (900 s to 30 days): the time the node has to claim before a payer leaves.");
  public static final ConfigKey PAYMENTS_MAX_TIMEOUT = new ConfigKey("payments.max-timeout-seconds", "3600",
      "maxTimeoutSeconds offered in payment requirements.");
  public static final ConfigKey PAYMENTS_LEDGER = new ConfigKey("payments.ledger", ".infergate/ledger.sqlite",
      "The channel ledger: a SQLite file path (one node), or a jdbc:postgresql:// URL (replicas sharing it).");
  public static final ConfigKey PAYMENTS_LEDGER_FSYNC = new ConfigKey("payments.ledger-fsync", "true",
      "SQLite ledger: true waits for an fsync of the WAL before a paid call is answered (charges survive power loss);"
      + " false answers once the commit reached the OS (charges survive a crash or kill -9 of the node, not of the"
      + " machine) and saves the fsync per call. PostgreSQL follows the server's synchronous_commit.");
  public static final ConfigKey PAYMENTS_LEASE_TTL = new ConfigKey("payments.lease-ttl-ms", "60000",
      "How long a channel stays leased to one call; a crashed node's leases expire after this. Keep it above inference.timeout-ms.");

  public static final ConfigKey PAYMENTS_RPC_URL = new ConfigKey("payments.rpc-url", "",
      "JSON-RPC URL of the chain; when set, the node mirrors channels, submits deposits and claims (empty: no chain).");
  public static final ConfigKey PAYMENTS_FACILITATOR_KEY_ENV = new ConfigKey("payments.facilitator-key-env",
      "INFERGATE_FACILITATOR_KEY", "Environment variable holding the hex private key that pays gas for deposits and claims.");
  public static final ConfigKey PAYMENTS_RECEIVER_AUTHORIZER_KEY_ENV = new ConfigKey("payments.receiver-authorizer-key-env",
      "INFERGATE_RECEIVER_AUTHORIZER_KEY", "Environment variable holding the receiver authorizer's hex private key (signs claim batches).");
  public static final ConfigKey PAYMENTS_CONFIRMATIONS = new ConfigKey("payments.confirmations", "0",
      "Blocks a deposit, claim or mirrored event must be buried under (use 2 or more on real chains).");
  public static final ConfigKey PAYMENTS_CHAIN_POLL_MS = new ConfigKey("payments.chain-poll-ms", "1000",
      "How often the chain watcher polls for new blocks.");
  public static final ConfigKey PAYMENTS_CLAIM_MIN_UNCLAIMED = new ConfigKey("payments.claims.min-unclaimed", "1000000",
      "Claim a channel once this much (atomic units) is charged and unclaimed; pending withdrawals are claimed at once.");
  public static final ConfigKey PAYMENTS_CLAIM_TICK_MS = new ConfigKey("payments.claims.tick-ms", "5000",
      "How often the claim scheduler looks for channels to claim.");
  public static final ConfigKey PAYMENTS_CLAIM_REPLACE_AFTER = new ConfigKey("payments.claims.replace-after-ms", "180000",
      "A claim transaction (or deposit, refund, settle, receipt root commit) still unmined after this long is replaced: same nonce, fees raised by at least 12.5%.");

  public static final ConfigKey RECEIPTS_ENABLED = new ConfigKey("receipts.enabled", "true",
      "Sign and journal an inference receipt for every paid call (only when payments.enabled=true; then receipts.anchor and the signer key are required).");
  public static final ConfigKey RECEIPTS_SIGNER_KEY_ENV = new ConfigKey("receipts.signer-key-env",
      "INFERGATE_RECEIPT_SIGNER_KEY", "Environment variable holding the hex private key that signs receipts (register its address as the services' receiptSigner).");
  public static final ConfigKey RECEIPTS_ANCHOR = new ConfigKey("receipts.anchor", "",
      "Address of the ReceiptAnchor contract: the receipts' EIP-712 verifyingContract, where their Merkle roots are committed.");
  public static final ConfigKey RECEIPTS_REGISTRY = new ConfigKey("receipts.registry", "",
      "Address of the ServiceRegistry that lists this node's services and receipt signer (shown to verifiers; empty: not registered).");
  public static final ConfigKey RECEIPTS_PROVIDER = new ConfigKey("receipts.provider", "",
      "The account that registered the services in the ServiceRegistry, signed into every receipt (empty: payments.pay-to).");
  public static final ConfigKey RECEIPTS_ANCHORING_ENABLED = new ConfigKey("receipts.anchoring.enabled", "true",
      "Commit receipt roots to the ReceiptAnchor from this node (needs payments.rpc-url); replicas sharing a PostgreSQL ledger elect one anchoring leader among those where it is true.");
  public static final ConfigKey RECEIPTS_ANCHORING_BATCH_SIZE = new ConfigKey("receipts.anchoring.batch-size", "1024",
      "Receipts per Merkle batch committed to the ReceiptAnchor (one commit transaction, about 85k gas, per batch).");
  public static final ConfigKey RECEIPTS_ANCHORING_INTERVAL_MS = new ConfigKey("receipts.anchoring.interval-ms", "60000",
      "Longest time a receipt waits for its batch: a smaller batch is cut when the oldest unbatched receipt waited this long.");
  public static final ConfigKey RECEIPTS_ANCHORING_TICK_MS = new ConfigKey("receipts.anchoring.tick-ms", "1000",
      "How often the anchorer looks for receipts to batch and batches to commit or confirm.");

  /** Prefix of free-form per-service settings: {@code services.<name>.settings.<key>}. */
  public static final String SERVICE_SETTINGS_PREFIX = "services.";

  public static List<ConfigKey> all() {
    return List.of(HTTP_HOST, HTTP_PORT, HTTP_MAX_BODY_BYTES, PLUGINS_DIR, PLUGINS_WORK_DIR, PLUGINS_ALLOW,
        CONTENT_DIR, CONTENT_MAX_BYTES, CONTENT_SOURCES, CONTENT_SOURCE_TIMEOUT, CONTENT_PARALLEL_BLOCKS, MODELS_DIRS,
        RUNTIME_EP, RUNTIME_NATIVE_CACHE, RUNTIME_FALLBACK_TO_CPU, RUNTIME_STRICT_DEVICE, RUNTIME_CUDA_MEMORY_LIMIT, RUNTIME_CUDA_ARENA,
        RUNTIME_CUDA_CUDNN_SEARCH, RUNTIME_INTRA_OP_THREADS, RUNTIME_OPTIMIZATION, INFERENCE_WORKERS,
        INFERENCE_QUEUE_SIZE, INFERENCE_TIMEOUT_MS, INFERENCE_RETRY_AFTER, INFERENCE_DRAIN_MS, PAYMENTS_ENABLED,
        PAYMENTS_CHAIN_ID, PAYMENTS_BATCH_SETTLEMENT, PAYMENTS_COLLECTOR, PAYMENTS_ASSET, PAYMENTS_ASSET_NAME,
        PAYMENTS_ASSET_VERSION, PAYMENTS_PAY_TO, PAYMENTS_RECEIVER_AUTHORIZER, PAYMENTS_WITHDRAW_DELAY,
        PAYMENTS_MAX_TIMEOUT, PAYMENTS_LEDGER, PAYMENTS_LEDGER_FSYNC, PAYMENTS_LEASE_TTL, PAYMENTS_RPC_URL, PAYMENTS_FACILITATOR_KEY_ENV,
        PAYMENTS_RECEIVER_AUTHORIZER_KEY_ENV, PAYMENTS_CONFIRMATIONS, PAYMENTS_CHAIN_POLL_MS, PAYMENTS_CLAIM_MIN_UNCLAIMED,
        PAYMENTS_CLAIM_TICK_MS, PAYMENTS_CLAIM_REPLACE_AFTER, RECEIPTS_ENABLED, RECEIPTS_SIGNER_KEY_ENV, RECEIPTS_ANCHOR,
        RECEIPTS_REGISTRY, RECEIPTS_PROVIDER, RECEIPTS_ANCHORING_ENABLED, RECEIPTS_ANCHORING_BATCH_SIZE,
        RECEIPTS_ANCHORING_INTERVAL_MS, RECEIPTS_ANCHORING_TICK_MS);
  }
}
