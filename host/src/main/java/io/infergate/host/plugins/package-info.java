/**
 * Plugins: PF4J hosting of third-party {@code AiService} extensions.
 *
 * <p>Start at {@link io.infergate.host.plugins.PluginHost}. A plugin zip is first inspected
 * ({@link io.infergate.host.plugins.PluginZipInspector}: no bundled ONNX Runtime, no native libraries, no
 * path tricks, bounded size), unpacked by digest ({@link io.infergate.host.plugins.PluginUnpacker}), its
 * descriptor checked against the real plugin-api version ({@link io.infergate.host.plugins.PluginDescriptorCheck}),
 * then loaded by PF4J with a classloader that takes the shared packages (plugin-api, ORT, slf4j, Vert.x)
 * from the host ({@link io.infergate.host.plugins.SharedApiClassLoader}). Its services get host-owned model
 * sessions and are published in an immutable {@link io.infergate.host.plugins.ServiceCatalog} snapshot that
 * request handlers read without locks. Mutations (load, unload) are serialized.
 */
package io.infergate.host.plugins;
