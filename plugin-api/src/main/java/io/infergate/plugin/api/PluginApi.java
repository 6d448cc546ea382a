package io.infergate.plugin.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Facts about this plugin-api build. */
public final class PluginApi {
  private static final String VERSION = readVersion();

  private PluginApi() {}

  /** The plugin-api version, which plugins name in {@code Plugin-Requires} (e.g. {@code >=0.1.0}). */
  public static String version() {
    return VERSION;
  }

  private static String readVersion() {
    try (InputStream in = PluginApi.class.getResourceAsStream("plugin-api.properties")) {
      if (in == null) {
        throw new IllegalStateException("plugin-api.properties is missing from the plugin-api jar");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
