package io.infergate.host.ipfs.fetch;

import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.car.CarLimits;
import io.infergate.host.ipfs.car.CarReader;
import io.infergate.host.ipfs.cid.Cid;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Local CAR files, for offline nodes: every {@code *.car} in a directory (or the given files) whose header
 * names the requested root is read, verified, into the sink.
 */
public final class CarFileSource implements ContentSource {
  private final Vertx vertx;
  private final Path dir;
  private final CarLimits limits;

  private CarFileSource(Vertx vertx, Path dir, CarLimits limits) {
    this.vertx = vertx;
    this.dir = dir;
    this.limits = limits;
  }

  public static CarFileSource create(Vertx vertx, Path dir, CarLimits limits) {
    return new CarFileSource(vertx, dir, limits);
  }

  @Override
  public String name() {
    return "CAR files in " + dir;
  }

  @Override
  public Future<Void> fetchInto(Cid root, BlockSink sink) {
    return vertx.executeBlocking(() -> {
      for (Path car : cars()) {
        boolean match;
        try (InputStream in = Files.newInputStream(car); CarReader r = CarReader.open(in, limits)) {
          match = r.roots().stream().anyMatch(c -> c.toV1().equals(root.toV1()));
        } catch (RuntimeException e) {
          continue; // not a CAR we can read; other files may still hold the root
        }
        if (match) {
          try (InputStream in = Files.newInputStream(car)) {
            CarReader.readAll(in, root, sink, limits);
          }
          return null;
        }
      }
      throw new SourceFailedException("no CAR file in " + dir + " has root " + root, false);
    }, false);
  }

  private List<Path> cars() throws java.io.IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".car")).sorted().toList();
    }
  }
}
