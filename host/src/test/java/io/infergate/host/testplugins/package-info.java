/**
 * Plugins used by the host's tests. {@code TestPluginZip} packs these classes into real PF4J zips; the host
 * loads them through its plugin classloader exactly like third-party plugins.
 */
package io.infergate.host.testplugins;
