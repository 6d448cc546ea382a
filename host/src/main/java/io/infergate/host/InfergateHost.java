package io.infergate.host;

import io.infergate.host.config.HostConfig;
import io.infergate.host.http.HttpApi;
import io.infergate.host.ipfs.ContentNode;
import io.infergate.host.leadership.LeaderElection;
import io.infergate.host.leadership.LeaderRole;
import io.infergate.host.payments.PaymentsStatus;
import io.infergate.host.payments.chain.ChainConnection;
import io.infergate.host.payments.gate.PaymentGate;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.LedgerDatabase;
import io.infergate.host.payments.ledger.PostgresChannelLedger;
import io.infergate.host.payments.ledger.SqliteChannelLedger;
import io.infergate.host.payments.verify.VoucherVerifier;
import io.infergate.host.receipts.ReceiptIssuer;
import io.infergate.host.receipts.ReceiptJournal;
import io.infergate.host.receipts.ReceiptLogFlusher;
import io.infergate.host.receipts.anchor.ReceiptAnchorer;
import io.infergate.host.receipts.anchor.ReceiptAnchoring;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import io.infergate.host.metrics.InferenceMetrics;
import io.infergate.host.models.ModelFiles;
import io.infergate.host.models.OrtRuntime;
import io.infergate.host.plugins.PluginHost;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Infergate node: wires configuration, metrics, ONNX Runtime, plugins and HTTP together.
 *
 * <p>Start order matters: the ORT environment exists before any plugin loads; plugins are loaded before
 * the HTTP server accepts calls. Stop order is the reverse, and nothing native is released while a call
 * may still use it: stop accepting, drain in-flight calls, close sessions, then stop Vert.x.
 *
 * <pre>{@code try (InfergateHost host = InfergateHost.start(ConfigLoader.builder().load())) { ... }}</pre>
 */
public final class InfergateHost implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InfergateHost.class);

  private final HostConfig config;
  private final Vertx vertx;
  private final HttpServer server;
  private final PluginHost plugins;
  private final ContentNode content;
  private final ChannelLedger ledger;     // null when payments are off
  private final ChainConnection chain;    // null without payments.rpc-url
  private final ReceiptIssuer receipts;   // null when receipts are off
  private final ReceiptAnchorer anchorer; // null without receipts or without a chain
  private final ReceiptLogFlusher receiptLog; // null without receipts
  private final ScheduledExecutorService timer;
  private final AtomicBoolean serving;
  private final List<String> rejectedPlugins;
  private final AtomicBoolean closed = new AtomicBoolean();

  private InfergateHost(HostConfig config, Vertx vertx, HttpServer server, PluginHost plugins, ContentNode content,
      ChannelLedger ledger, ChainConnection chain, ReceiptIssuer receipts, ReceiptLogFlusher receiptLog,
      ReceiptAnchorer anchorer, ScheduledExecutorService timer, AtomicBoolean serving, List<String> rejectedPlugins) {
    this.receipts = receipts;
    this.receiptLog = receiptLog;
    this.anchorer = anchorer;
    this.chain = chain;
    this.content = content;
    this.ledger = ledger;
    this.rejectedPlugins = List.copyOf(rejectedPlugins);
    this.config = config;
    this.vertx = vertx;
    this.server = server;
    this.plugins = plugins;
    this.timer = timer;
    this.serving = serving;
  }

  /** Starts a node and returns once it serves; throws if any part cannot start. */
  public static InfergateHost start(HostConfig config) {
    InferenceMetrics metrics = InferenceMetrics.create();
    OrtRuntime ort = OrtRuntime.create(config.runtime());
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "infergate-deadlines");
      t.setDaemon(true);
      return t;
    });
    // Every call schedules its deadline and cancels it on completion; without this, cancelled deadlines stay
    // queued for the whole timeout (measured: 62k tasks, 4.5 MB after 20 s at 3k calls/s).
    timer.setRemoveOnCancelPolicy(true);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
        .build();
    ContentNode content = null;
    PluginHost plugins = null;
    ChannelLedger ledger = null;
    ChainConnection chain = null;
    PaymentGate gate = null;
    ReceiptIssuer receipts = null;
    ReceiptLogFlusher receiptLog = null;
    ReceiptAnchorer anchorer = null;
    try {
      content = ContentNode.open(config.content(), vertx, metrics.registry());
      plugins = new PluginHost(config, ort, new ModelFiles(config.models().dirs(), content), metrics, timer);
      List<String> rejected = new ArrayList<>(plugins.loadAllowed(config.plugins().allow(), content));
      rejected.addAll(plugins.loadDirectory(config.plugins().dir()));
      AtomicBoolean serving = new AtomicBoolean(false);
      if (config.payments().isPresent()) {
        HostConfig.Payments payments = config.payments().get();
        ledger = openLedger(payments);
        if (payments.chain().isPresent()) {
          chain = ChainConnection.start(payments, payments.chain().get(), ledger, metrics.registry());
        }
        if (payments.receipts().isPresent()) {
          receipts = ReceiptIssuer.create(ReceiptJournal.open(ledger), payments.receipts().get(),
              payments.settings().chainId());
          if (ledger.database().dialect() == LedgerDatabase.Dialect.SQLITE) {     // only SQLite appends to the log
            receiptLog = ReceiptLogFlusher.start(vertx, receipts.journal(), ReceiptLogFlusher.DEFAULT_EVERY);
          }
          LOG.info("receipts signed by {} under ReceiptAnchor {}", receipts.signer().address(),
              payments.receipts().get().anchor());
          if (ledger.database().dialect() == LedgerDatabase.Dialect.SQLITE && !payments.ledgerFsync()) {
            LOG.warn("payments.ledger-fsync=false with receipts on: a power cut can lose the last receipts, and their"
                + " seq numbers are then issued again to other calls, which reads as equivocation; keep the fsync"
                + " unless the disk's write cache survives power loss (see the operator guide)");
          }
          if (chain != null && !payments.chain().get().anchoring().enabled()) {
            LOG.info("receipt anchoring is off on this node (receipts.anchoring.enabled=false): it never anchors and"
                + " serves no proofs; replicas sharing the ledger elect an anchoring leader among those with it on");
          } else if (chain != null) {
            HostConfig.Receipts r = payments.receipts().get();
            anchorer = ReceiptAnchoring.start(receipts.journal(), r.signerKey(), r.provider(), r.anchor(), chain,
                payments.chain().get(), metrics.registry(),
                LeaderElection.forLedger(payments.ledger(), LeaderRole.ANCHORING, metrics.registry()));
          } else {
            LOG.warn("receipts are signed but not anchored: anchoring needs a chain (payments.rpc-url), so no"
                + " inclusion proofs are served");
          }
        }
        gate = new PaymentGate(payments.settings(), ledger, new VoucherVerifier(payments.settings().channelDomain(),
            payments.settings().erc3009Collector(), Clock.systemUTC()), plugins,
            Optional.ofNullable(chain).map(ChainConnection::facilitator),
            chain == null ? (channel, now) -> true : chain.withdrawalGuard(),
            Optional.ofNullable(chain).map(ChainConnection::refundFacilitator), Optional.ofNullable(receipts),
            ReceiptIssuer.factsOnce(ort));
      }
      Optional<PaymentsStatus> paymentsStatus = ledger == null ? Optional.empty()
          : Optional.of(new PaymentsStatus(ledger, Optional.ofNullable(chain)));
      HttpApi api = new HttpApi(config, plugins, ort, content, metrics, version(), Optional.ofNullable(gate),
          paymentsStatus, serving::get, Optional.ofNullable(receipts).map(ReceiptIssuer::journal),
          Optional.ofNullable(anchorer));
      HttpServer server = vertx.createHttpServer(new HttpServerOptions()
              .setHost(config.http().host()).setPort(config.http().port())
              .setCompressionSupported(false).setTcpNoDelay(true))
          .requestHandler(api.router(vertx))
          .listen()
          .await();
      serving.set(true);
      LOG.info("Infergate {} serving {} on http://{}:{}", version(),
          plugins.catalog().all().stream().map(s -> s.name()).toList(), config.http().host(), server.actualPort());
      return new InfergateHost(config, vertx, server, plugins, content, ledger, chain, receipts, receiptLog, anchorer,
          timer, serving, rejected);
    } catch (RuntimeException e) {
      if (anchorer != null) {
        anchorer.close();
      }
      if (chain != null) {
        chain.close();
      }
      if (receiptLog != null) {
        receiptLog.close();
      }
      if (ledger != null) {
        ledger.close();
      }
      if (plugins != null) {
        plugins.close();
      }
      if (content != null) {
        content.close();
      }
      timer.shutdownNow();
      vertx.close();
      throw e;
    }
  }

  private static ChannelLedger openLedger(HostConfig.Payments payments) {
    String where = payments.ledger();
    if (where.startsWith("jdbc:postgresql:")) {
      return PostgresChannelLedger.open(where, 4, Clock.systemUTC());
    }
    return SqliteChannelLedger.open(Path.of(where), Clock.systemUTC(), payments.ledgerFsync());
  }

  /** The port the server listens on (useful when configured as 0). */
  public int port() {
    return server.actualPort();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
  public String url() {
    return "http://" + config.http().host() + ":" + port();
  }

  /**
   * The channel ledger, when payments are on. A SQLite ledger file belongs to this node while it runs (a second
   * opener is refused): code in the node's JVM that needs the ledger (tests, tools) uses this instance.
   */
  public Optional<ChannelLedger> ledger() {
    return Optional.ofNullable(ledger);
  }

  /** The chain connection, when payments are on and payments.rpc-url is set. */
  public Optional<ChainConnection> chain() {
    return Optional.ofNullable(chain);
  }

  /**
   * The receipt issuer (its signer and journal), when payments and receipts are on. The journal shares the
   * ledger's database; anchoring reads it through {@link io.infergate.host.receipts.ReceiptLog}.
   */
  public Optional<ReceiptIssuer> receipts() {
    return Optional.ofNullable(receipts);
  }

  /** The receipt anchorer, when receipts are on and a chain is configured. */
  public Optional<ReceiptAnchorer> anchorer() {
    return Optional.ofNullable(anchorer);
  }

  /** The node's content store and sources. */
  public ContentNode content() {
    return content;
  }

  public PluginHost plugins() {
    return plugins;
  }

  /** Why each plugin in the plugins directory that was not loaded was rejected (empty when all loaded). */
  public List<String> rejectedPlugins() {
    return rejectedPlugins;
  }

  /** The Infergate version of this build. */
  public static String version() {
    try (InputStream in = InfergateHost.class.getResourceAsStream("host.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }

  /** Stops accepting calls, drains in-flight ones, closes models and plugins, then stops Vert.x. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    serving.set(false);
    try {
      // Graceful: stop accepting, let in-flight requests (and so their calls) finish up to the drain timeout,
      // then close connections. A plain close() would cut the answers of calls that are still running.
      server.shutdown(config.inference().drainTimeout().toMillis(), TimeUnit.MILLISECONDS).await();
      plugins.drain(config.inference().drainTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("stopping the HTTP server failed: {}", e.toString());
    }
    plugins.close();
    content.close();
    if (anchorer != null) {
      anchorer.close();      // before the chain connection whose client it uses
    }
    if (chain != null) {
      chain.close();
    }
    if (receiptLog != null) {
      receiptLog.close();
    }
    if (ledger != null) {
      ledger.close();
    }
    timer.shutdownNow();
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("stopping Vert.x failed: {}", e.toString());
    }
    LOG.info("Infergate stopped");
  }
}
