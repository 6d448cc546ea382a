package io.infergate.host.ipfs.fetch;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * A response body collected in memory up to a limit. A source answering a one-block request with more than a
 * block's worth of bytes (hostile or misconfigured) fails the request instead of filling the heap: bytes past the
 * limit are dropped, not kept.
 */
final class BoundedBody {
  private BoundedBody() {}

  static BodyCodec<Buffer> atMost(int maxBytes, String what) {
    return () -> new Stream(maxBytes, what);
  }

  private static final class Stream implements BodyStream<Buffer> {
    private final int max;
    private final String what;
    private final Promise<Buffer> result = Promise.promise();
    private Buffer body = Buffer.buffer();
    private Handler<Throwable> exceptionHandler;

    Stream(int max, String what) {
      this.max = max;
      this.what = what;
    }

    @Override
    public Future<Buffer> result() {
      return result.future();
    }

    @Override
    public void handle(Throwable t) {
      result.tryFail(t);
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (body == null) {
        return Future.succeededFuture(); // already over the limit: drop
      }
      if (body.length() + data.length() > max) {
        body = null;
        SourceFailedException e = new SourceFailedException(what + " is larger than " + max
            + " bytes, more than a block may have; the source is not serving IPFS blocks", true);
        result.tryFail(e);
        if (exceptionHandler != null) {
          exceptionHandler.handle(e);
        }
        return Future.succeededFuture();
      }
      body.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      if (body != null) {
        result.tryComplete(body);
      }
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      this.exceptionHandler = handler;
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
