/**
 * Models: the one ONNX Runtime environment of the JVM and the sessions the host owns for plugins.
 *
 * <p>Start at {@link io.infergate.host.models.OrtRuntime}: created once, before any plugin loads (ORT allows
 * one {@code OrtEnvironment} per JVM and binds its JNI library to the host classloader). It opens
 * {@link io.infergate.host.models.ModelSession}s with the configured execution provider
 * ({@link io.infergate.host.models.ExecutionProviderSetup}); {@link io.infergate.host.models.TensorBridge}
 * moves {@code plugin-api} tensors in and out of ORT without copying inputs; model bytes are found and
 * verified by content ID in {@link io.infergate.host.models.ModelFiles}.
 */
package io.infergate.host.models;
