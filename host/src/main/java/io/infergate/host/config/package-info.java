/**
 * Node configuration: one immutable {@link io.infergate.host.config.HostConfig} tree, read by
 * {@link io.infergate.host.config.ConfigLoader} from defaults, an optional JSON file, environment variables
 * ({@code INFERGATE_HTTP_PORT} for {@code http.port}) and explicit overrides, in that order.
 *
 * <p>Every option is declared once in {@link io.infergate.host.config.ConfigKeys} with its default and a
 * one-line doc; the operator reference in {@code sdk-docs/operator.md} is checked against that list by a
 * test. An unknown key or a bad value stops start-up with a message naming the key.
 */
package io.infergate.host.config;
