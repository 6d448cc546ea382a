/**
 * HTTP: the node's routes on Vert.x Web.
 *
 * <p>Start at {@link io.infergate.host.http.HttpApi}, which lays out every route. Inference routes
 * ({@link io.infergate.host.http.InferRoute} for OIP v2, {@link io.infergate.host.http.ServiceRoute} for
 * plain JSON) decode on the event loop, hand the call to the service's executor and answer when it
 * completes; the chain {@code body limit → paid-call handlers → call} is where the payment gate slots in.
 * {@link io.infergate.host.http.ErrorResponder} is the one place errors become HTTP responses.
 */
package io.infergate.host.http;
