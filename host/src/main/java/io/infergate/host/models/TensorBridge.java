package io.infergate.host.models;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.infergate.host.errors.BadRequestException;
import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves tensors between {@code plugin-api} and ORT.
 *
 * <p>Inputs: fixed-width tensors are handed over as direct little-endian buffers, which ORT uses in place
 * (x86-64 and aarch64 are little-endian, so little-endian is native order); the {@link Tensor} keeps the
 * buffer alive for as long as the caller holds it. Outputs are copied once out of ORT's memory before the
 * result is closed, so nothing native outlives the run.
 */
final class TensorBridge {
  private TensorBridge() {}

  static OnnxTensor toOrt(OrtEnvironment env, String name, Tensor t) throws OrtException {
    long[] shape = t.shape();
    if (t.dataType() == DataType.BYTES) {
      List<String> strings = t.strings();
      return OnnxTensor.createTensor(env, strings.toArray(String[]::new), shape);
    }
    ByteBuffer b = t.buffer().order(ByteOrder.nativeOrder());
    return switch (t.dataType()) {
      case FP32 -> OnnxTensor.createTensor(env, b.asFloatBuffer(), shape);
      case FP64 -> OnnxTensor.createTensor(env, b.asDoubleBuffer(), shape);
      case INT64 -> OnnxTensor.createTensor(env, b.asLongBuffer(), shape);
      case INT32 -> OnnxTensor.createTensor(env, b.asIntBuffer(), shape);
      case INT16 -> OnnxTensor.createTensor(env, b.asShortBuffer(), shape);
      case INT8 -> OnnxTensor.createTensor(env, b, shape, OnnxJavaType.INT8);
      case UINT8 -> OnnxTensor.createTensor(env, b, shape, OnnxJavaType.UINT8);
      case BOOL -> OnnxTensor.createTensor(env, b, shape, OnnxJavaType.BOOL);
      case FP16 -> OnnxTensor.createTensor(env, b, shape, OnnxJavaType.FLOAT16);
      case BYTES -> throw new IllegalStateException("unreachable");
    };
  }

  static Tensor fromOrt(String name, OnnxValue value) throws OrtException {
    if (!(value instanceof OnnxTensor t)) {
      throw new ModelLoadException("output '" + name + "' is a " + value.getType()
          + ", not a tensor; only tensor outputs can be returned");
    }
    TensorInfo info = t.getInfo();
    long[] shape = info.getShape();
    DataType type = dataType(name, info.type);
    if (type == DataType.BYTES) {
      String[] flat = flattenStrings(t.getValue());
      List<byte[]> elements = new ArrayList<>(flat.length);
      for (String s : flat) {
        elements.add(s.getBytes(StandardCharsets.UTF_8));
      }
      return Tensor.ofBytes(shape, elements);
    }
    // getByteBuffer() already copies out of ORT's memory (native order = little-endian on every platform ORT
    // ships for); the copy is handed over as is, not copied again into a direct buffer.
    return Tensor.wrap(type, shape, t.getByteBuffer().order(ByteOrder.nativeOrder()));
  }

  /** The OIP data type for an ORT element type; unsupported types are reported by name. */
  static DataType dataType(String name, OnnxJavaType type) {
    return switch (type) {
      case FLOAT -> DataType.FP32;
      case DOUBLE -> DataType.FP64;
      case INT64 -> DataType.INT64;
      case INT32 -> DataType.INT32;
      case INT16 -> DataType.INT16;
      case INT8 -> DataType.INT8;
      case UINT8 -> DataType.UINT8;
      case BOOL -> DataType.BOOL;
      case FLOAT16 -> DataType.FP16;
      case STRING -> DataType.BYTES;
      default -> throw new BadRequestException("tensor '" + name + "' has ORT type " + type
          + ", which Infergate cannot carry; use FP32, FP64, INT8-64, UINT8, BOOL, FP16 or strings");
    };
  }

  private static String[] flattenStrings(Object value) {
    List<String> out = new ArrayList<>();
    collect(value, out);
    return out.toArray(String[]::new);
  }

  private static void collect(Object value, List<String> out) {
    if (value instanceof String s) {
      out.add(s);
    } else if (value instanceof Object[] arr) {
      for (Object o : arr) {
        collect(o, out);
      }
    }
  }
}
