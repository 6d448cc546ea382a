package io.infergate.host.ipfs.fetch;

import io.infergate.host.ipfs.block.BlockSink;
import io.infergate.host.ipfs.car.CarFormatException;
import io.infergate.host.ipfs.car.CarLimits;
import io.infergate.host.ipfs.car.CarReader;
import io.infergate.host.ipfs.cid.Cid;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.codec.BodyCodec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Downloads a CAR response to a temporary file (bounded memory whatever its size), checks status and content
 * type, then reads it through the verifying {@link CarReader} on a worker thread. When the transfer breaks off
 * (connection closed, idle timeout), the part that arrived is still read: its blocks verify one by one, so they
 * are kept and the next attempt fetches only the rest. A bad block in that part still fails as a bad block.
 */
final class CarDownload {
  private CarDownload() {}

  static Future<Void> run(Vertx vertx, HttpRequest<?> request, String sourceName, Cid root, BlockSink sink,
      CarLimits limits, boolean requireCarType) {
    Path tmp;
    try {
      tmp = Files.createTempFile("infergate-fetch-", ".car");
    } catch (java.io.IOException e) {
      return Future.failedFuture(e);
    }
    return vertx.fileSystem().open(tmp.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
        .compose(file -> send(request, file).transform(ar -> {
          if (ar.failed()) {
            return closeQuietly(file).compose(v -> keepPrefix(vertx, tmp, root, sink, limits, ar.cause()));
          }
          checkResponse(ar.result(), sourceName, requireCarType);
          return vertx.<Void>executeBlocking(() -> {
            try (InputStream in = Files.newInputStream(tmp)) {
              CarReader.readAll(in, root, sink, limits);
            }
            return null;
          }, false);
        }))
        .eventually(() -> vertx.fileSystem().delete(tmp.toString()).otherwiseEmpty());
  }

  /** Flushes and closes the download file; the pipe may have closed it already (then close() throws). */
  private static Future<Void> closeQuietly(AsyncFile file) {
    try {
      return file.close().otherwiseEmpty();
    } catch (IllegalStateException alreadyClosed) {
      return Future.succeededFuture();
    }
  }

  /** Reads the verified blocks of a partial CAR into the sink, then fails with the transfer's error. */
  private static Future<Void> keepPrefix(Vertx vertx, Path tmp, Cid root, BlockSink sink, CarLimits limits,
      Throwable transferError) {
    return vertx.<Void>executeBlocking(() -> {
      try (InputStream in = Files.newInputStream(tmp)) {
        CarReader.readAll(in, root, sink, limits);
      } catch (CarFormatException | java.io.IOException e) {
        // expected: the CAR ends mid-section; everything before verified and is kept
      }
      return null;
    }, false).compose(v -> Future.failedFuture(transferError));
  }

  private static Future<HttpResponse<Void>> send(HttpRequest<?> request, AsyncFile file) {
    return request.as(BodyCodec.pipe(file, true)).send();
  }

  static void checkResponse(HttpResponse<?> res, String sourceName, boolean requireCarType) {
    String type = String.valueOf(res.getHeader("Content-Type"));
    if (res.statusCode() != 200) {
      throw new SourceFailedException(sourceName + " answered HTTP " + res.statusCode() + " (" + type + ")", false);
    }
    if (type.startsWith("text/html")) {
      throw new SourceFailedException(sourceName + " answered with an HTML page instead of a CAR; it is not a "
          + "trustless gateway (check the URL, or remove it from the sources)", true);
    }
    if (requireCarType && !type.startsWith("application/vnd.ipld.car")) {
      throw new SourceFailedException(sourceName + " answered Content-Type " + type
          + " instead of application/vnd.ipld.car; it does not support verifiable responses", true);
    }
  }
}
