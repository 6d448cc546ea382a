package io.infergate.plugins.textembedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import io.infergate.host.ipfs.unixfs.UnixFsImporter;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The packaged plugin zip as the host will see it: PF4J's zip layout, a self-contained jar with its extension
 * index and tokenizer, nothing the host rejects (ONNX Runtime classes, native libraries), no weights, and
 * entry times pinned so the bytes, and so the plugin's CID, do not depend on when it was built.
 */
class PluginLayoutIT {
  static final Path ZIP = Path.of(System.getProperty("textembedding.pluginZip", "target/text-embedding.zip"));
  static final Path MODELS = Path.of(System.getProperty("textembedding.modelDirectory", "target/models"));

  @Test
  void descriptorAndJarAreWherePf4jLooksForThem() throws Exception {
    try (ZipFile zip = new ZipFile(ZIP.toFile())) {
      Properties p = new Properties();
      try (InputStream in = zip.getInputStream(zip.getEntry("plugin.properties"))) {
        p.load(in);
      }
      assertEquals("text-embedding", p.getProperty("plugin.id"));
      assertTrue(p.getProperty("plugin.version").matches("\\d+\\.\\d+\\.\\d+.*"), p.getProperty("plugin.version"));
      assertTrue(p.getProperty("plugin.requires").matches(">=\\d+\\.\\d+\\.\\d+"), p.getProperty("plugin.requires"));
      assertFalse(p.getProperty("plugin.provider", "").isBlank());
      assertFalse(p.getProperty("plugin.description", "").isBlank());

      List<String> jars = zip.stream().map(ZipEntry::getName).filter(n -> n.startsWith("lib/") && n.endsWith(".jar"))
          .toList();
      assertEquals(1, jars.size(), "one jar in lib/: " + jars);
      List<String> jarEntries = new ArrayList<>();
      String index = null;
      try (ZipInputStream jar = new ZipInputStream(zip.getInputStream(zip.getEntry(jars.get(0))))) {
        for (ZipEntry e; (e = jar.getNextEntry()) != null; ) {
          jarEntries.add(e.getName());
          if (e.getName().equals("META-INF/extensions.idx")) {
            index = new String(jar.readAllBytes(), StandardCharsets.UTF_8);
          }
        }
      }
      assertNotNull(index, "META-INF/extensions.idx is missing: the PF4J annotation processor did not run");
      assertTrue(index.contains(TextEmbeddingService.class.getName()), index);
      assertTrue(jarEntries.contains("io/infergate/plugins/textembedding/" + TextEmbeddingService.TOKENIZER_RESOURCE));
      for (String e : jarEntries) {
        assertFalse(e.startsWith("io/infergate/plugin/api/") || e.startsWith("org/pf4j/"),
            "the host's API must not be bundled (ClassCastException at load): " + e);
      }
    }
  }

  @Test
  void nothingTheHostRejectsAndNoWeights() throws Exception {
    List<String> all = allEntries();
    for (String e : all) {
      String n = e.toLowerCase();
      assertFalse(n.contains("ai/onnxruntime/"), "ONNX Runtime classes: " + e);
      assertFalse(n.endsWith(".so") || n.endsWith(".dll") || n.endsWith(".dylib") || n.endsWith(".jnilib"),
          "native library: " + e);
      assertFalse(n.endsWith(".onnx"), "model weights travel by content ID, not in the plugin: " + e);
    }
  }

  @Test
  void entryTimesArePinnedForReproducibleBytes() throws Exception {
    Instant pinned = Instant.parse("2026-01-01T00:00:00Z");
    try (ZipFile zip = new ZipFile(ZIP.toFile())) {
      zip.stream().forEach(e -> assertEquals(pinned.getEpochSecond(),
          e.getLastModifiedTime().toInstant().getEpochSecond(), 2, e.getName()));
    }
  }

  @Test
  void theModelDirectoryHoldsTheFileTheDescriptorNames() throws Exception {
    String contentId = TextEmbeddingService.DESCRIPTOR.models().get(0).contentId();
    List<String> cids = new ArrayList<>();
    try (Stream<Path> files = Files.list(MODELS)) {
      for (Path f : files.toList()) {
        cids.add(UnixFsImporter.create().importFile(f, block -> { }).root().toString());
      }
    }
    assertTrue(cids.contains(contentId), "no file in " + MODELS + " has " + contentId + ": " + cids);
  }

  private static List<String> allEntries() throws Exception {
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(ZIP.toFile())) {
      for (ZipEntry e : zip.stream().toList()) {
        names.add(e.getName());
        if (e.getName().endsWith(".jar")) {
          byte[] jar = zip.getInputStream(e).readAllBytes();
          try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry j; (j = in.getNextEntry()) != null; ) {
              names.add(e.getName() + "!/" + j.getName());
            }
          }
        }
      }
    }
    return names;
  }
}
