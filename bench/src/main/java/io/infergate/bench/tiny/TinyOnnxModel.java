package io.infergate.bench.tiny;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The tiny model, written as ONNX protobuf by hand (IR 8, opset 13): {@code y = x + x}, x and y FP32
 * [batch, 4]. A trimmed copy of the host tests' {@code OnnxModelWriter}; it is bundled into the tiny plugin's
 * jar, which computes the model's content ID from these bytes.
 */
public final class TinyOnnxModel {
  static final String MODEL_NAME = "tiny";
  private static final int FLOAT = 1;

  private TinyOnnxModel() {}

  /** The model's bytes; deterministic, so its content ID is stable. */
  public static byte[] bytes() {
    Proto node = new Proto().string(1, "x").string(1, "x").string(2, "y").string(3, "Add_0").string(4, "Add");
    Proto graph = new Proto().bytes(1, node.bytes()).string(2, "tiny")
        .bytes(11, valueInfo("x")).bytes(12, valueInfo("y"));
    Proto opset = new Proto().string(1, "").varint(2, 13);
    return new Proto().varint(1, 8).string(2, "infergate-bench").bytes(7, graph.bytes()).bytes(8, opset.bytes()).bytes();
  }

  /** {@code sha256:<hex>}, as service descriptors name models. */
  public static String contentId() {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] valueInfo(String name) {
    Proto shape = new Proto().bytes(1, new Proto().string(2, "batch").bytes()).bytes(1, new Proto().varint(1, 4).bytes());
    Proto tensorType = new Proto().varint(1, FLOAT).bytes(2, shape.bytes());
    Proto type = new Proto().bytes(1, tensorType.bytes());
    return new Proto().string(1, name).bytes(2, type.bytes()).bytes();
  }

  /** A minimal protobuf writer: varint and length-delimited fields. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      writeVarint((long) field << 3);
      writeVarint(value);
      return this;
    }

    Proto bytes(int field, byte[] value) {
      writeVarint(((long) field << 3) | 2);
      writeVarint(value.length);
      out.writeBytes(value);
      return this;
    }

    Proto string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    private void writeVarint(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
