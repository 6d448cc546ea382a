package io.infergate.host.ipfs;

import io.infergate.host.config.HostConfig;
import io.infergate.host.ipfs.cid.Cid;
import io.infergate.host.ipfs.fetch.CarFileSource;
import io.infergate.host.ipfs.fetch.ContentFetcher;
import io.infergate.host.ipfs.fetch.ContentSource;
import io.infergate.host.ipfs.fetch.FetchMetrics;
import io.infergate.host.ipfs.fetch.KuboRpcSource;
import io.infergate.host.ipfs.fetch.TrustlessGatewaySource;
import io.infergate.host.ipfs.store.ContentStore;
import io.infergate.host.ipfs.store.ContentStoreOptions;
import io.infergate.host.ipfs.unixfs.ImportResult;
import io.infergate.host.ipfs.unixfs.UnixFsImporter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's content: its store, its sources, and the one question the rest of the node asks: "give me
 * the verified file for this CID". Answered, in order, from the store; from a local directory holding a
 * file whose UnixFS CID is the one wanted (imported and pinned, so a model can be dropped in a directory);
 * or from the configured sources (verified block by block, then pinned). Nothing unverified is returned.
 */
public final class ContentNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ContentNode.class);

  private final ContentStore store;
  private final ContentFetcher fetcher;
  private final HostConfig.Content config;
  private final ExecutorService blocking;
  private final WebClient client;
  private final ConcurrentHashMap<Path, LocalCid> localCids = new ConcurrentHashMap<>();

  private ContentNode(ContentStore store, ContentFetcher fetcher, HostConfig.Content config, ExecutorService blocking,
      WebClient client) {
    this.store = store;
    this.fetcher = fetcher;
    this.config = config;
    this.blocking = blocking;
    this.client = client;
  }

  public static ContentNode open(HostConfig.Content config, Vertx vertx, MeterRegistry registry) {
    ExecutorService blocking = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "infergate-content");
      t.setDaemon(true);
      return t;
    });
    try {
      ContentStoreOptions options = ContentStoreOptions.defaults().withMaxBytes(config.maxBytes());
      ContentStore store = ContentStore.open(config.dir(), options, blocking);
      WebClient client = WebClient.create(vertx);
      List<ContentSource> sources = new ArrayList<>();
      long idle = config.sourceTimeout().toMillis();
      for (String s : config.sources()) {
        String kind = s.substring(0, s.indexOf('='));
        String where = s.substring(s.indexOf('=') + 1);
        sources.add(switch (kind) {
          case "gateway" -> TrustlessGatewaySource.create(vertx, client, where, options.carLimits(), idle);
          case "kubo" -> KuboRpcSource.create(vertx, client, where, options.carLimits(), idle);
          default -> CarFileSource.create(vertx, Path.of(where), options.carLimits());
        });
      }
      ContentFetcher fetcher = ContentFetcher.create(vertx, store, sources, idle, FetchMetrics.create(registry),
          config.parallelBlocks());
      return new ContentNode(store, fetcher, config, blocking, client);
    } catch (IOException e) {
      blocking.shutdownNow();
      throw new UncheckedIOException("cannot open the content store at " + config.dir() + ": " + e.getMessage(), e);
    }
  }

  public ContentStore store() {
    return store;
  }

  public ContentFetcher fetcher() {
    return fetcher;
  }

  /**
   * The verified, pinned file of {@code cid}. Blocks the caller while fetching: call it from start-up or a
   * worker, never from an event loop.
   *
   * @param what what the content is, for messages ({@code "model 'encoder'"}, {@code "plugin"})
   */
  public Path resolve(Cid cid, String what, List<Path> localDirs) {
    try {
      if (store.has(cid)) {
        return pinned(cid);
      }
      Optional<Path> local = findLocal(cid, localDirs);
      if (local.isPresent()) {
        ImportResult r = store.add(local.get(), true);
        LOG.info("{}: imported {} from {} into the content store", what, r.root(), local.get());
        return pinned(cid);
      }
      if (config.sources().isEmpty()) {
        throw new ContentException(what + ": " + cid + " is not in the content store, no file in " + localDirs
            + " has that CID, and content.sources is empty; add the content (infergate content add) or configure a source");
      }
      LOG.info("{}: fetching {} from {}", what, cid, config.sources());
      fetcher.fetch(cid).toCompletionStage().toCompletableFuture()
          .get(config.sourceTimeout().toMillis() * Math.max(1, config.sources().size()) + 1000, TimeUnit.MILLISECONDS);
      return pinned(cid);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof ContentException ce ? ce
          : new ContentException(what + ": fetching " + cid + " failed: " + c.getMessage(), c);
    } catch (TimeoutException e) {
      throw new ContentException(what + ": fetching " + cid + " from " + config.sources() + " timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContentException(what + ": interrupted while fetching " + cid);
    } catch (IOException e) {
      throw new UncheckedIOException(what + ": content store error for " + cid + ": " + e.getMessage(), e);
    }
  }

  private Path pinned(Cid cid) throws IOException {
    store.pin(cid);
    try (ContentStore.Lease lease = store.lease(cid)) {
      return lease.path();
    }
  }

  /** A file in {@code dirs} whose UnixFS CID (default importer settings) is {@code cid}; CIDs are cached per file. */
  private Optional<Path> findLocal(Cid cid, List<Path> dirs) throws IOException {
    Cid wanted = cid.toV1();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        if (localCid(f).equals(wanted)) {
          return Optional.of(f);
        }
      }
    }
    return Optional.empty();
  }

  private Cid localCid(Path file) throws IOException {
    long size = Files.size(file);
    FileTime modified = Files.getLastModifiedTime(file);
    LocalCid known = localCids.get(file);
    if (known != null && known.size == size && known.modified.equals(modified)) {
      return known.cid;
    }
    Cid cid = UnixFsImporter.create().importFile(file, block -> { }).root().toV1();
    localCids.put(file, new LocalCid(size, modified, cid));
    return cid;
  }

  private record LocalCid(long size, FileTime modified, Cid cid) {}

  @Override
  public void close() {
    client.close();
    blocking.shutdownNow();
  }
}
