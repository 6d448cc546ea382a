package io.infergate.host.plugins;

import io.infergate.plugin.api.PluginApi;
import java.nio.file.Path;
import java.util.List;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRepository;
import org.pf4j.BasePluginRepository;

/**
 * PF4J configured for Infergate: plugins are loaded one by one from directories the host unpacked (no
 * scanning of a plugins root), with {@link SharedApiClassLoader}, and {@code Plugin-Requires} is checked
 * against the real plugin-api version.
 */
final class InfergatePluginManager extends DefaultPluginManager {

  InfergatePluginManager(Path workDir) {
    super(List.of(workDir));
    setSystemVersion(PluginApi.version());
  }

  @Override
  protected PluginLoader createPluginLoader() {
    return new CompoundPluginLoader().add(new DefaultPluginLoader(this) {
      @Override
      protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
        return new SharedApiClassLoader(pluginManager, descriptor, getClass().getClassLoader());
      }
    });
  }

  @Override
  protected PluginRepository createPluginRepository() {
    // Nothing is discovered by scanning: every plugin goes through inspection and unpacking first.
    return new BasePluginRepository(List.of()) {};
  }
}
