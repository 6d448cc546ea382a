package io.infergate.host.ipfs.fetch;

import io.infergate.host.ipfs.ContentException;
import io.infergate.host.ipfs.block.BlockNotFoundException;
import io.infergate.host.ipfs.block.BlockVerificationException;
import io.infergate.host.ipfs.car.CarFormatException;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.store.ContentStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets content into the store from the configured sources, in order.
 *
 * <pre>{@code
 * ContentFetcher fetcher = ContentFetcher.create(vertx, store, List.of(kubo, gateway, carFiles), 120_000);
 * fetcher.fetch(modelCid).onSuccess(path -> sessions.load(path));
 * }</pre>
 *
 * For each source not marked bad: fetch under a deadline, then check the DAG is complete in the store; on
 * any failure go on to the next source. A source that sent a block not matching its CID, a CAR for another
 * root, or a non-verifiable answer (HTML, wrong content type) is marked bad and skipped from then on; a
 * timeout or a truncated transfer is not (it may be transient). Blocks that verified stay in the store, so a
 * later source only has to fill what is missing. The store assembles and hash-checks the file before the
 * returned future completes, and concurrent fetches of one CID share one download ({@link ContentStore#ensure}).
 */
public final class ContentFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(ContentFetcher.class);
  private final Vertx vertx;
  private final ContentStore store;
  private final List<ContentSource> sources;
  private final long sourceTimeoutMs;
  private final Map<String, String> bad = new ConcurrentHashMap<>();
  private final FetchMetrics metrics;

  private ContentFetcher(Vertx vertx, ContentStore store, List<ContentSource> sources, long sourceTimeoutMs,
      FetchMetrics metrics) {
    this.vertx = vertx;
    this.store = store;
    this.sources = List.copyOf(sources);
    this.sourceTimeoutMs = sourceTimeoutMs;
    this.metrics = metrics;
  }

  /** @param sourceTimeoutMs deadline for one source to deliver a whole DAG */
  public static ContentFetcher create(Vertx vertx, ContentStore store, List<ContentSource> sources, long sourceTimeoutMs) {
    return create(vertx, store, sources, sourceTimeoutMs, FetchMetrics.inMemory());
  }

  public static ContentFetcher create(Vertx vertx, ContentStore store, List<ContentSource> sources, long sourceTimeoutMs,
      FetchMetrics metrics) {
    return new ContentFetcher(vertx, store, sources, sourceTimeoutMs, metrics);
  }

  public FetchMetrics metrics() {
    return metrics;
  }

  /** The verified file of {@code root}, from the store or fetched into it. */
  public Future<Path> fetch(Cid root) {
    if (store.has(root)) {
      metrics.cacheHit();
    }
    return Future.fromCompletionStage(
        store.ensure(root, session -> attempt(root, session, 0, new ArrayList<>()).toCompletionStage()),
        vertx.getOrCreateContext());
  }

  /** Sources marked bad, with the reason. */
  public Map<String, String> badSources() {
    return Map.copyOf(bad);
  }

  private Future<Void> attempt(Cid root, ContentStore.Session session, int i, List<String> errors) {
    if (i == sources.size()) {
      return Future.failedFuture(new ContentException("no source could provide " + root + ": "
          + String.join("; ", errors) + ". Add a source that holds it, or import a CAR file"));
    }
    ContentSource source = sources.get(i);
    String reason = bad.get(source.name());
    if (reason != null) {
      errors.add(source.name() + " skipped (marked bad: " + reason + ")");
      return attempt(root, session, i + 1, errors);
    }
    return vertx.executeBlocking(() -> store.firstMissingBlock(root).isEmpty(), false).compose(complete -> complete
        ? Future.<Void>succeededFuture()
        : tryOne(source, root, session).recover(e -> {
          String kind = e instanceof BlockVerificationException ? "verification"
              : untrustworthy(e) ? "untrusted" : e instanceof SourceFailedException s && s.timedOut() ? "timeout"
              : "other";
          metrics.failed(source.name(), kind);
          if (untrustworthy(e)) {
            bad.put(source.name(), e.getMessage());
            LOG.warn("content source {} marked bad: {}", source.name(), e.getMessage());
          } else {
            LOG.info("content source {} failed for {}: {}", source.name(), root, e.getMessage());
          }
          errors.add(source.name() + ": " + e.getMessage());
          return attempt(root, session, i + 1, errors);
        }));
  }

  /** One source under its deadline, then a completeness check; blocks are counted as they verify. */
  private Future<Void> tryOne(ContentSource source, Cid root, ContentStore.Session session) {
    Promise<Void> done = Promise.promise();
    io.infergate.host.ipfs.block.BlockSink counted = block -> {
      session.put(block);
      metrics.received(source.name(), block.size());
    };
    long timer = vertx.setTimer(sourceTimeoutMs, t -> done.tryFail(
        SourceFailedException.timeout(source.name() + " did not deliver " + root + " within " + sourceTimeoutMs + " ms")));
    Future<Void> fetched;
    try {
      fetched = source.fetchInto(root, counted);
    } catch (RuntimeException e) {
      fetched = Future.failedFuture(e);
    }
    fetched.compose(v -> vertx.executeBlocking(() -> {
      store.firstMissingBlock(root).ifPresent(missing -> {
        throw new BlockNotFoundException(missing, source.name() + " (its CAR was incomplete)");
      });
      return (Void) null;
    }, false)).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        done.tryComplete();
      } else {
        done.tryFail(ar.cause());
      }
    });
    return done.future();
  }

  private static boolean untrustworthy(Throwable e) {
    return e instanceof BlockVerificationException
        || e instanceof SourceFailedException s && s.untrustworthy()
        || e instanceof CarFormatException c && c.getMessage().contains("do not include the requested");
  }
}
