package io.infergate.host.cli;

import io.infergate.host.InfergateHost;
import io.infergate.plugin.api.PluginApi;
import picocli.CommandLine.IVersionProvider;

/** {@code infergate --version}. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"Infergate " + InfergateHost.version() + " (plugin-api " + PluginApi.version() + ")"};
  }
}
