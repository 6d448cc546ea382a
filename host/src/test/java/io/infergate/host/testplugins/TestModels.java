package io.infergate.host.testplugins;

import io.infergate.host.fixtures.OnnxModelWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/** The test models and their content IDs. */
public final class TestModels {
  public static final byte[] DOUBLER = OnnxModelWriter.doubler();
  public static final byte[] SLOW = OnnxModelWriter.slowChain(768, 1500);

  private TestModels() {}

  public static String contentId(byte[] model) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes every test model into {@code dir}. */
  public static Path writeAll(Path dir) {
    try {
      Files.write(dir.resolve("doubler.onnx"), DOUBLER);
      Files.write(dir.resolve("slow.onnx"), SLOW);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
