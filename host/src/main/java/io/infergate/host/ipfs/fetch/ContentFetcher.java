package io.infergate.host.ipfs.fetch;

import io.infergate.host.ipfs.ContentException;
import io.infergate.host.ipfs.block.BlockNotFoundException;
import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.block.BlockVerificationException;
import io.infergate.host.ipfs.car.CarFormatException;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.store.ContentStore;
import io.infergate.host.ipfs.store.StoreFullException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * timeout or a truncated transfer is not (it may be transient). The store assembles and hash-checks the file
 * before the returned future completes, and concurrent fetches of one CID share one download
 * ({@link ContentStore#ensure}).
 *
 * <p><b>Resume.</b> Blocks that verified stay in the store, whichever source or attempt brought them (a CAR cut
 * off halfway included). How a source is asked depends on what the store holds: nothing of the DAG yet (its
 * root block absent) → one CAR for the whole DAG, the fast path; part of it → only the missing blocks, one
 * request each ({@link RawBlockSource}: {@code ?format=raw}, Kubo {@code block/get}), {@code parallelBlocks} at
 * a time ({@link MissingBlockFetch}). Sources that only serve whole CARs (local CAR files) are read whole.
 * <b>Store full</b> (budget or disk) ends the fetch at once with {@link StoreFullException}: no other source
 * can help, and the store keeps only whole, verified blocks.
 */
public final class ContentFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(ContentFetcher.class);
  private final Vertx vertx;
  private final ContentStore store;
  private final List<ContentSource> sources;
  private final long sourceTimeoutMs;
  private final Map<String, String> bad = new ConcurrentHashMap<>();
  /** Default number of blocks requested at once from one source when fetching block by block. */
  public static final int DEFAULT_PARALLEL_BLOCKS = 8;
  private final FetchMetrics metrics;
  private final int parallelBlocks;

  private ContentFetcher(Vertx vertx, ContentStore store, List<ContentSource> sources, long sourceTimeoutMs,
      FetchMetrics metrics, int parallelBlocks) {
    if (parallelBlocks < 1 || parallelBlocks > 256) {
      throw new IllegalArgumentException("parallel block fetches must be between 1 and 256, got " + parallelBlocks);
    }
    this.vertx = vertx;
    this.store = store;
    this.sources = List.copyOf(sources);
    this.sourceTimeoutMs = sourceTimeoutMs;
    this.metrics = metrics;
    this.parallelBlocks = parallelBlocks;
  }

  /** @param sourceTimeoutMs deadline for one source to deliver a whole DAG */
  public static ContentFetcher create(Vertx vertx, ContentStore store, List<ContentSource> sources, long sourceTimeoutMs) {
    return create(vertx, store, sources, sourceTimeoutMs, FetchMetrics.inMemory());
  }

  public static ContentFetcher create(Vertx vertx, ContentStore store, List<ContentSource> sources, long sourceTimeoutMs,
      FetchMetrics metrics) {
    return create(vertx, store, sources, sourceTimeoutMs, metrics, DEFAULT_PARALLEL_BLOCKS);
  }

  /**
   * @param parallelBlocks blocks requested at once from one source when fetching only missing blocks (1–256);
   *     memory in flight is at most this many blocks of 2 MiB
   */
  public static ContentFetcher create(Vertx vertx, ContentStore store, List<ContentSource> sources, long sourceTimeoutMs,
      FetchMetrics metrics, int parallelBlocks) {
    return new ContentFetcher(vertx, store, sources, sourceTimeoutMs, metrics, parallelBlocks);
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
          if (e instanceof StoreFullException) {
            LOG.warn("fetching {} stopped: {}", root, e.getMessage());
            return Future.failedFuture(e);
          }
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

  /**
   * One source under its deadline, then a completeness check; blocks are counted as they verify. Once the
   * attempt is over (deadline included), late blocks of this source are refused, so nothing reaches the
   * session after the fetcher moved on.
   */
  private Future<Void> tryOne(ContentSource source, Cid root, ContentStore.Session session) {
    Promise<Void> done = Promise.promise();
    AtomicBoolean over = new AtomicBoolean();
    BlockSink counted = block -> {
      if (over.get()) {
        throw new SourceFailedException(source.name() + " delivered " + block.cid() + " after its attempt ended", false);
      }
      session.put(block);
      metrics.received(source.name(), block.size());
    };
    long timer = vertx.setTimer(sourceTimeoutMs, t -> done.tryFail(
        SourceFailedException.timeout(source.name() + " did not deliver " + root + " within " + sourceTimeoutMs + " ms")));
    Future<Void> fetched;
    try {
      fetched = vertx.executeBlocking(() -> store.hasBlock(root), false)
          .compose(started -> fetchFrom(source, root, counted, started));
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
    return done.future().onComplete(ar -> over.set(true));
  }

  /** The whole DAG as a CAR while the store holds none of it; after that only the missing blocks. */
  private Future<Void> fetchFrom(ContentSource source, Cid root, BlockSink sink, boolean started) {
    if (started && source instanceof RawBlockSource blocks) {
      return MissingBlockFetch.run(vertx, store, blocks, root, sink, parallelBlocks).map(r -> {
        metrics.skipped(source.name(), r.skippedBlocks());
        LOG.info("{}: fetched {} missing blocks ({} bytes) of {}; {} were already held", source.name(),
            r.fetchedBlocks(), r.fetchedBytes(), root, r.skippedBlocks());
        return null;
      });
    }
    return source.fetchInto(root, sink);
  }

  private static boolean untrustworthy(Throwable e) {
    return e instanceof BlockVerificationException
        || e instanceof SourceFailedException s && s.untrustworthy()
        || e instanceof CarFormatException c && c.getMessage().contains("do not include the requested");
  }
}
