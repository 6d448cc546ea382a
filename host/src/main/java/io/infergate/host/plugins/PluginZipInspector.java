package io.infergate.host.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Checks a plugin zip before anything in it is unpacked or loaded.
 *
 * <p>Rejected: a bundled ONNX Runtime ({@code ai/onnxruntime/**}, directly or inside a jar in {@code lib/}),
 * native libraries ({@code .so}, {@code .dll}, {@code .dylib}, {@code .jnilib}) — both would load a second
 * copy of native code into a foreign classloader, which the JVM forbids or, worse, allows — entries that
 * escape the plugin directory, and archives beyond the size limits. A {@code plugin.properties} descriptor
 * must be present.
 */
public final class PluginZipInspector {
  static final int MAX_ENTRIES = 20_000;
  static final long MAX_UNPACKED_BYTES = 1L << 30;

  private PluginZipInspector() {}

  /** Throws {@link PluginRejectedException} naming the first problem found. */
  public static void inspect(Path zip) {
    String label = zip.getFileName().toString();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      boolean hasDescriptor = false;
      int entries = 0;
      long unpacked = 0;
      Enumeration<? extends ZipEntry> all = file.entries();
      while (all.hasMoreElements()) {
        ZipEntry e = all.nextElement();
        if (++entries > MAX_ENTRIES) {
          throw reject(label, "has more than " + MAX_ENTRIES + " entries");
        }
        unpacked += Math.max(0, e.getSize());
        if (unpacked > MAX_UNPACKED_BYTES) {
          throw reject(label, "unpacks to more than " + MAX_UNPACKED_BYTES + " bytes; model weights belong in model files referenced by content ID, not in the zip");
        }
        String name = e.getName();
        checkPath(label, name);
        checkEntry(label, name);
        if (name.equals("plugin.properties")) {
          hasDescriptor = true;
        }
        if (!e.isDirectory() && name.toLowerCase(Locale.ROOT).endsWith(".jar")) {
          try (InputStream in = file.getInputStream(e)) {
            inspectJar(label + "!/" + name, in);
          }
        }
      }
      if (!hasDescriptor) {
        throw reject(label, "has no plugin.properties at its root; add one with plugin.id, plugin.version and plugin.requires");
      }
    } catch (IOException e) {
      throw new PluginRejectedException("plugin " + label + " is not a readable zip: " + e.getMessage(), e);
    }
  }

  private static void inspectJar(String label, InputStream in) throws IOException {
    ZipInputStream jar = new ZipInputStream(in);
    for (ZipEntry e; (e = jar.getNextEntry()) != null; ) {
      checkEntry(label, e.getName());
    }
  }

  private static void checkPath(String label, String name) {
    String n = name.replace('\\', '/');
    if (n.startsWith("/") || n.contains("../") || n.equals("..") || n.contains(":")) {
      throw reject(label, "has an entry '" + name + "' that would be written outside the plugin directory");
    }
  }

  private static void checkEntry(String label, String name) {
    String n = name.replace('\\', '/').toLowerCase(Locale.ROOT);
    if (n.startsWith("ai/onnxruntime/") || n.contains("/ai/onnxruntime/") || n.matches(".*onnxruntime[^/]*\\.jar")) {
      throw reject(label, "bundles ONNX Runtime (" + name + "); the host provides it: declare com.microsoft.onnxruntime"
          + " with <scope>provided</scope> and run models through InferenceContext.model(...)");
    }
    if (n.endsWith(".so") || n.contains(".so.") && !n.endsWith("/") || n.endsWith(".dll") || n.endsWith(".dylib")
        || n.endsWith(".jnilib")) {
      throw reject(label, "contains a native library (" + name + "); plugins must be pure JVM code, native runtimes live in the host");
    }
  }

  private static PluginRejectedException reject(String label, String why) {
    return new PluginRejectedException("plugin " + label + " rejected: it " + why);
  }
}
