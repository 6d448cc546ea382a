package io.infergate.host.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Unpacks an inspected plugin zip into {@code <work-dir>/<sha256 of the zip>/}, through a temporary
 * directory and an atomic rename, so a crash never leaves a half-unpacked plugin that looks complete and
 * the same bytes always unpack to the same place.
 */
final class PluginUnpacker {
  private PluginUnpacker() {}

  static Path unpack(Path zip, String digest, Path workDir) {
    Path target = workDir.resolve(digest);
    if (Files.isDirectory(target)) {
      return target;
    }
    try {
      Files.createDirectories(workDir);
      Path tmp = Files.createTempDirectory(workDir, ".unpack-");
      try (ZipFile file = new ZipFile(zip.toFile())) {
        Enumeration<? extends ZipEntry> entries = file.entries();
        while (entries.hasMoreElements()) {
          ZipEntry e = entries.nextElement();
          Path out = tmp.resolve(e.getName()).normalize();
          if (!out.startsWith(tmp)) {
            throw new PluginRejectedException("plugin " + zip.getFileName() + " has an entry outside its directory: " + e.getName());
          }
          if (e.isDirectory()) {
            Files.createDirectories(out);
          } else {
            Files.createDirectories(out.getParent());
            try (InputStream in = file.getInputStream(e)) {
              Files.copy(in, out);
            }
          }
        }
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        deleteTree(tmp);      // another load of the same bytes won the race: its copy is identical
      } catch (IOException e) {
        if (!Files.isDirectory(target)) {
          throw e;
        }
        deleteTree(tmp);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack plugin " + zip + " into " + workDir + ": " + e.getMessage(), e);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
