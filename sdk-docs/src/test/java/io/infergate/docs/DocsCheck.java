package io.infergate.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the guides and the repository are, for the docs tests. */
final class DocsCheck {
  static final Path DOCS = Path.of("").toAbsolutePath();
  static final Path REPO = DOCS.getParent();

  private DocsCheck() {}

  static List<Path> guides() {
    try (Stream<Path> files = Files.list(DOCS)) {
      return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
