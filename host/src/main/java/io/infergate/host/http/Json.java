package io.infergate.host.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** JSON responses of the HTTP layer, written with one shared Jackson mapper. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static void ok(RoutingContext ctx, Object body) {
    send(ctx, 200, body);
  }

  static void send(RoutingContext ctx, int status, Object body) {
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      ctx.fail(e);
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(bytes));
  }
}
