package io.infergate.host.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts ONNX Runtime's native libraries once into a cache directory and points ORT at it
 * ({@code onnxruntime.native.path}).
 *
 * <p>Left alone, ORT inflates its ~22 MB of native code into a fresh temporary directory on every start
 * (over a second here) and leaves it behind if the JVM dies. ORT's own advice for production is a fixed,
 * pre-extracted directory. The cache is keyed by the ORT jar's name and size, written through a temporary
 * directory and an atomic rename, and skipped when the operator set {@code onnxruntime.native.path}.
 */
final class OrtNativeLibraries {
  private static final Logger LOG = LoggerFactory.getLogger(OrtNativeLibraries.class);
  static final String PROPERTY = "onnxruntime.native.path";

  private OrtNativeLibraries() {}

  /** Must run before the first use of any {@code ai.onnxruntime} class that loads the library. */
  static synchronized void prepare(Path cacheRoot) {
    if (System.getProperty(PROPERTY) != null) {
      return;
    }
    try {
      Path jar = ortJar();
      if (jar == null) {
        return;       // not running from a jar (unusual); ORT extracts by itself
      }
      String platform = platform();
      Path target = cacheRoot.resolve(jar.getFileName().toString().replace(".jar", "") + "-" + Files.size(jar) + "-" + platform);
      if (!Files.isDirectory(target)) {
        extract(jar, "ai/onnxruntime/native/" + platform + "/", cacheRoot, target);
      }
      System.setProperty(PROPERTY, target.toString());
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not cache ONNX Runtime's native libraries in {} ({}); ORT will extract them to a temp directory",
          cacheRoot, e.toString());
    }
  }

  private static Path ortJar() throws IOException {
    CodeSource source = ai.onnxruntime.OrtProvider.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return null;
    }
    URL url = source.getLocation();
    try {
      Path p = Path.of(url.toURI());
      return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
  }

  private static void extract(Path jar, String prefix, Path cacheRoot, Path target) throws IOException {
    Files.createDirectories(cacheRoot);
    Path tmp = Files.createTempDirectory(cacheRoot, ".ort-");
    int files = 0;
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry e : java.util.Collections.list(file.entries())) {
        String name = e.getName();
        if (e.isDirectory() || !name.startsWith(prefix) || name.substring(prefix.length()).contains("/")) {
          continue;
        }
        try (InputStream in = file.getInputStream(e)) {
          Files.copy(in, tmp.resolve(name.substring(prefix.length())));
          files++;
        }
      }
    }
    if (files == 0) {
      deleteTree(tmp);
      throw new IOException("no native libraries for " + prefix + " in " + jar);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      deleteTree(tmp);
    } catch (IOException e) {
      deleteTree(tmp);
      if (!Files.isDirectory(target)) {
        throw e;
      }
    }
  }

  /** ORT's directory name for this machine, e.g. {@code linux-x64}. */
  static String platform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String o = os.contains("linux") ? "linux" : os.contains("mac") ? "osx" : os.contains("win") ? "win" : os;
    String a = switch (arch) {
      case "amd64", "x86_64" -> "x64";
      case "aarch64", "arm64" -> "aarch64";
      default -> arch;
    };
    return o + "-" + a;
  }

  private static void deleteTree(Path dir) {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
