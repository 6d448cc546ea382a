/**
 * The plugin test kit: {@link io.infergate.testkit.InfergateTestHost} starts a real Infergate host in the
 * test's JVM on a free port with the plugin under test loaded, and offers a small HTTP client for it.
 *
 * <pre>{@code
 * try (InfergateTestHost host = InfergateTestHost.builder()
 *     .plugin(Path.of("target/my-plugin.zip"))
 *     .modelDirectory(Path.of("target/models"))
 *     .start()) {
 *   HttpResponse<String> r = host.postJson("/v1/services/my-service", "{\"texts\":[\"hi\"]}");
 * }
 * }</pre>
 */
package io.infergate.testkit;
