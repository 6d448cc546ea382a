package io.infergate.host.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.infergate.host.errors.InfergateException;
import io.infergate.host.metrics.InferenceMetrics;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP responses: {@code {"error": "..."}} with the status of the
 * {@link InfergateException}, or of Vert.x Web's own failures (404, 405, 413), and 500 for anything
 * unexpected (logged with its stack trace, never sent to the caller). Failed calls to a model are counted
 * here by reason.
 */
final class ErrorResponder {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

  private final InferenceMetrics metrics;
  private final long maxBodyBytes;

  ErrorResponder(InferenceMetrics metrics, long maxBodyBytes) {
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Failure handler for the router. */
  void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    while ((failure instanceof java.util.concurrent.CompletionException
        || failure instanceof java.util.concurrent.ExecutionException) && failure.getCause() != null) {
      failure = failure.getCause();   // futures chained with thenApply wrap the real failure
    }
    int status;
    String message;
    String reason;
    Map<String, String> headers = Map.of();
    String code = null;
    if (failure instanceof InfergateException e) {
      code = e.code();
      status = e.status();
      message = e.getMessage();
      reason = e.reason();
      headers = e.headers();
    } else if (failure == null || failure instanceof io.vertx.ext.web.handler.HttpException) {
      status = failure == null ? ctx.statusCode() : ((io.vertx.ext.web.handler.HttpException) failure).getStatusCode();
      message = describe(status, ctx);
      reason = reasonOf(status);
    } else {
      LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
      status = 500;
      message = "internal error while handling " + ctx.request().method() + " " + ctx.request().path()
          + "; the node's log has the details";
      reason = "internal";
    }
    String model = ctx.pathParam("model");
    if (model == null) {
      model = ctx.pathParam("service");
    }
    if (model != null && ctx.request().path().matches("/v(1/services|2/models)/.+")) {
      metrics.failure(model, reason);
    }
    send(ctx.response(), status, message, code, headers);
  }

  static void send(HttpServerResponse response, int status, String message, Map<String, String> headers) {
    send(response, status, message, null, headers);
  }

  /** {@code {"error": message}}, plus {@code "code"} when the failure has one. */
  static void send(HttpServerResponse response, int status, String message, String code,
      Map<String, String> headers) {
    if (response.ended() || response.closed()) {
      return;
    }
    headers.forEach(response::putHeader);
    String body;
    try {
      Map<String, String> fields = new java.util.LinkedHashMap<>();
      fields.put("error", message);
      if (code != null) {
        fields.put("code", code);
      }
      body = Json.MAPPER.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      body = "{\"error\":\"unprintable error\"}";
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  private String describe(int status, RoutingContext ctx) {
    return switch (status) {
      case 404 -> "no route for " + ctx.request().method() + " " + ctx.request().path()
          + "; see /v2 for the inference API and /v2/models for the models served";
      case 405 -> "method " + ctx.request().method() + " is not allowed on " + ctx.request().path();
      case 413 -> "request body exceeds http.max-body-bytes=" + maxBodyBytes
          + "; send fewer or smaller inputs per call";
      case 400 -> "malformed request to " + ctx.request().path();
      default -> "request failed with HTTP " + status;
    };
  }

  private static String reasonOf(int status) {
    return switch (status) {
      case 404 -> "not_found";
      case 413 -> "payload_too_large";
      case 400 -> "bad_request";
      default -> "http_" + status;
    };
  }
}
