package io.infergate.host.plugins;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Pattern;
import org.pf4j.DefaultVersionManager;
import org.pf4j.VersionManager;

/**
 * Validates {@code plugin.properties} of an unpacked plugin before PF4J sees it: required fields present
 * and well-formed, and {@code plugin.requires} satisfied by the plugin-api version the host implements.
 * PF4J alone would only log and disable such a plugin; we refuse it with a reason.
 */
final class PluginDescriptorCheck {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final VersionManager VERSIONS = new DefaultVersionManager();

  private PluginDescriptorCheck() {}

  /** The plugin id; throws {@link PluginRejectedException} naming the field at fault. */
  static String check(Path pluginDir, String label, String apiVersion) {
    Path file = pluginDir.resolve("plugin.properties");
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new PluginRejectedException("plugin " + label + ": cannot read plugin.properties: " + e.getMessage(), e);
    }
    String id = required(p, "plugin.id", label);
    if (!ID.matcher(id).matches()) {
      throw new PluginRejectedException("plugin " + label + ": plugin.id '" + id + "' must be 1-64 characters of letters, digits, '.', '_' or '-'");
    }
    String version = required(p, "plugin.version", label);
    try {
      VERSIONS.compareVersions(version, "0.0.0");
    } catch (RuntimeException e) {
      throw new PluginRejectedException("plugin " + id + ": plugin.version '" + version + "' is not a semantic version (e.g. 1.0.0)");
    }
    String requires = required(p, "plugin.requires", label);
    boolean ok;
    try {
      ok = VERSIONS.checkVersionConstraint(apiVersion, requires);
    } catch (RuntimeException e) {
      throw new PluginRejectedException("plugin " + id + ": plugin.requires '" + requires
          + "' is not a version constraint (e.g. >=0.1.0): " + e.getMessage());
    }
    if (!ok) {
      throw new PluginRejectedException("plugin " + id + " requires plugin-api " + requires + " but this host implements "
          + apiVersion + "; upgrade the host, or build the plugin against plugin-api " + apiVersion);
    }
    return id;
  }

  private static String required(Properties p, String key, String label) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new PluginRejectedException("plugin " + label + ": plugin.properties has no " + key);
    }
    return v.trim();
  }
}
