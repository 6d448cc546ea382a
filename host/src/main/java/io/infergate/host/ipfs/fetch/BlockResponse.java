package io.infergate.host.ipfs.fetch;

import io.infergate.host.ipfs.block.Block;
import io.infergate.host.ipfs.cid.Cid;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeoutException;

/**
 * One block over HTTP: sends the request with a body bounded by the block size limit, checks the answer and
 * verifies the bytes against the CID. Shared by the gateway ({@code ?format=raw}) and Kubo ({@code block/get}).
 */
final class BlockResponse {
  private BlockResponse() {}

  /** @param requireRawType true for trustless gateways, which must answer {@code application/vnd.ipld.raw} */
  static Future<Block> fetch(HttpRequest<Buffer> request, String sourceName, Cid cid, int maxBytes, boolean requireRawType) {
    return request.as(BoundedBody.atMost(maxBytes, sourceName + "'s answer for block " + cid)).send()
        .recover(e -> Future.failedFuture(e instanceof TimeoutException
            ? SourceFailedException.timeout(sourceName + " did not answer for block " + cid + ": " + e.getMessage())
            : e))
        .map(res -> verified(res, sourceName, cid, requireRawType));
  }

  private static Block verified(HttpResponse<Buffer> res, String sourceName, Cid cid, boolean requireRawType) {
    String type = String.valueOf(res.getHeader("Content-Type"));
    if (res.statusCode() == 404) {
      throw new SourceFailedException(sourceName + " does not have block " + cid, false);
    }
    if (res.statusCode() != 200) {
      throw new SourceFailedException(sourceName + " answered HTTP " + res.statusCode() + " for block " + cid, false);
    }
    if (type.startsWith("text/html")) {
      throw new SourceFailedException(sourceName + " answered with an HTML page instead of a block; it is not a "
          + "trustless gateway (check the URL, or remove it from the sources)", true);
    }
    if (requireRawType && !type.startsWith("application/vnd.ipld.raw")) {
      throw new SourceFailedException(sourceName + " answered Content-Type " + type
          + " instead of application/vnd.ipld.raw; it does not support verifiable responses", true);
    }
    Buffer body = res.body();
    return Block.verified(cid, body == null ? new byte[0] : body.getBytes());
  }
}
