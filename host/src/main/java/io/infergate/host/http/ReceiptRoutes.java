package io.infergate.host.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.host.errors.BadRequestException;
import io.infergate.host.errors.NotFoundException;
import io.infergate.host.receipts.ReceiptJournal;
import io.infergate.host.receipts.StoredReceipt;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The free receipt routes: {@code GET /v1/receipts/{id}} (one receipt as served: EIP-712 typed data, its id and
 * runtime profile) and {@code GET /v1/receipts?channel=0x…&after=<seq>&limit=<n>} (a channel's receipts in seq
 * order, paged: pass the last {@code seq} as {@code after} to get the next page). Reads run on a worker.
 */
final class ReceiptRoutes {
  static final int DEFAULT_LIMIT = 100;
  private static final Pattern BYTES32 = Pattern.compile("0x[0-9a-fA-F]{64}");

  private final Optional<ReceiptJournal> journal;

  ReceiptRoutes(Optional<ReceiptJournal> journal) {
    this.journal = journal;
  }

  void one(RoutingContext ctx) {
    ReceiptJournal j = journal();
    String id = ctx.pathParam("id");
    if (!BYTES32.matcher(id).matches()) {
      throw new BadRequestException("'" + id + "' is not a receipt id; a receipt id is its EIP-712 digest, 0x and 64"
          + " hex digits (the \"id\" member of the receipt)");
    }
    ctx.vertx().executeBlocking(() -> j.receipt(id))
        .onSuccess(found -> {
          StoredReceipt r = found.orElse(null);
          if (r == null) {
            ctx.fail(new NotFoundException("no receipt with id " + id + " on this node; list a channel's receipts with"
                + " GET /v1/receipts?channel=<channel id>"));
            return;
          }
          send(ctx, r.toJson());
        })
        .onFailure(ctx::fail);
  }

  void list(RoutingContext ctx) {
    ReceiptJournal j = journal();
    String channel = ctx.queryParams().get("channel");
    if (channel == null || !BYTES32.matcher(channel).matches()) {
      throw new BadRequestException("GET /v1/receipts needs channel=<channel id> (0x and 64 hex digits)"
          + (channel == null ? "" : ", got '" + channel + "'"));
    }
    long after = number(ctx, "after", -1, -1, Long.MAX_VALUE);
    int limit = (int) number(ctx, "limit", DEFAULT_LIMIT, 1, ReceiptJournal.MAX_LIMIT);
    ctx.vertx().executeBlocking(() -> j.byChannel(channel, after, limit))
        .onSuccess(list -> {
          ObjectNode body = JsonNodeFactory.instance.objectNode();
          body.put("channel", channel.toLowerCase(java.util.Locale.ROOT));
          ArrayNode items = body.putArray("receipts");
          list.forEach(r -> items.add(r.toJson()));
          if (list.size() == limit) {
            body.put("next", list.getLast().receipt().receipt().seq());   // more may follow: after=<next>
          } else {
            body.putNull("next");
          }
          send(ctx, body);
        })
        .onFailure(ctx::fail);
  }

  private ReceiptJournal journal() {
    return journal.orElseThrow(() -> new NotFoundException("this node issues no receipts (payments.enabled or"
        + " receipts.enabled is false)"));
  }

  private static long number(RoutingContext ctx, String name, long dflt, long min, long max) {
    List<String> values = ctx.queryParams().getAll(name);
    if (values.isEmpty()) {
      return dflt;
    }
    try {
      long n = Long.parseLong(values.getFirst().trim());
      if (n < min || n > max) {
        throw new BadRequestException(name + " must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequestException(name + " must be a whole number, got '" + values.getFirst() + "'");
    }
  }

  private static void send(RoutingContext ctx, ObjectNode body) {
    ctx.response().putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(body.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
