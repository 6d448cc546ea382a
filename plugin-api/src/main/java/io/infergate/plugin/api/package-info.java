/**
 * The stable SDK for model authors.
 *
 * <p>A plugin contributes one or more {@link io.infergate.plugin.api.AiService} extensions. Each describes
 * itself with a {@link io.infergate.plugin.api.ServiceDescriptor} (name, tensors in and out, the models it
 * needs by content ID, its price), receives a {@link io.infergate.plugin.api.ServiceContext} once when the
 * host opens it, and answers calls in {@link io.infergate.plugin.api.AiService#infer}. Models are loaded,
 * run and closed by the host: a plugin reaches them only through
 * {@link io.infergate.plugin.api.ModelRunner}, bound to the call it serves.
 *
 * <p>Start with {@link io.infergate.plugin.api.AiService}; values are immutable and built with static
 * factories or builders. Nothing here exposes ONNX Runtime, Vert.x or host internals.
 */
package io.infergate.plugin.api;
