package io.infergate.plugin.api;

import java.util.Optional;
import org.pf4j.ExtensionPoint;

/**
 * The extension point a model author implements: one paid AI service.
 *
 * <p>Life cycle: the host reads {@link #descriptor()}, fetches and verifies the models it names, loads them,
 * then calls {@link #open(ServiceContext)} once. After that {@link #infer} is called concurrently from the
 * host's worker threads (never from an event loop), each call with its own {@link InferenceContext}. On
 * unload the host calls {@link #close()} and drops every reference to the service.
 *
 * <pre>{@code
 * @Extension
 * public final class Echo implements AiService {
 *   public ServiceDescriptor descriptor() { ... }
 *   public InferenceOutput infer(InferenceInput in, InferenceContext ctx) {
 *     Map<String, Tensor> out = ctx.model("encoder").run(Map.of("x", in.tensor("x")));
 *     return InferenceOutput.builder().tensor("y", out.get("y")).build();
 *   }
 * }
 * }</pre>
 *
 * <p>Throw {@link InvalidInputException} for input the service cannot take (the caller gets a 400 and is not
 * charged); any other exception is reported as a service failure (500, not charged).
 */
public interface AiService extends ExtensionPoint {

  /** The service's descriptor; must return an equal value every time. */
  ServiceDescriptor descriptor();

  /** Called once before the first call, when the models are loaded. Default: nothing to do. */
  default void open(ServiceContext context) throws Exception {}

  /** Answers one call. Inputs have been checked against the descriptor's specs already. */
  InferenceOutput infer(InferenceInput input, InferenceContext context) throws Exception;

  /**
   * The service's plain JSON route ({@code POST /v1/services/{name}}), if it offers one: how a JSON body
   * becomes input tensors and output tensors become a JSON body.
   */
  default Optional<JsonServiceAdapter> jsonAdapter() {
    return Optional.empty();
  }

  /** Called once when the service is unloaded; release what {@link #open} took. */
  default void close() {}
}
