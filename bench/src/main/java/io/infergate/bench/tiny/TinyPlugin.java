package io.infergate.bench.tiny;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packs {@link TinyService} into a PF4J plugin zip the host loads like any other ({@code plugin.properties},
 * {@code lib/tiny.jar} with the classes and {@code META-INF/extensions.idx}), and writes the model file next to
 * it. Done from the compiled classes at run time, so the benchmark needs no extra Maven module.
 *
 * <pre>{@code java -cp bench/target/infergate-bench.jar io.infergate.bench.tiny.TinyPlugin /tmp/tiny
 * # -> /tmp/tiny/plugins/tiny.zip, /tmp/tiny/models/tiny.onnx}</pre>
 */
public final class TinyPlugin {
  private static final List<Class<?>> CLASSES = List.of(TinyService.class, TinyService.Adapter.class,
      TinyOnnxModel.class, classNamed("io.infergate.bench.tiny.TinyOnnxModel$Proto"));

  private TinyPlugin() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: TinyPlugin <output dir>  (writes plugins/tiny.zip and models/tiny.onnx)");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    System.out.println(writeZip(Files.createDirectories(out.resolve("plugins"))));
    System.out.println(writeModel(Files.createDirectories(out.resolve("models"))));
  }

  /** Writes {@code tiny.onnx} into {@code dir}; returns the file. */
  public static Path writeModel(Path dir) throws IOException {
    return Files.write(dir.resolve("tiny.onnx"), TinyOnnxModel.bytes());
  }

  /** Writes {@code tiny.zip} into {@code dir}; returns the file. */
  public static Path writeZip(Path dir) throws IOException {
    Path zip = dir.resolve("tiny.zip");
    String properties = "plugin.id=tiny\nplugin.version=1.0.0\nplugin.requires=>=0.1.0\nplugin.provider=Infergate bench\n";
    try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
      put(out, "plugin.properties", properties.getBytes(StandardCharsets.UTF_8));
      put(out, "lib/tiny.jar", jar());
    }
    return zip;
  }

  private static byte[] jar() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream jar = new ZipOutputStream(bytes)) {
      put(jar, "META-INF/extensions.idx", (TinyService.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
      for (Class<?> c : CLASSES) {
        String resource = c.getName().replace('.', '/') + ".class";
        try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
          put(jar, resource, in.readAllBytes());
        }
      }
    }
    return bytes.toByteArray();
  }

  private static void put(ZipOutputStream out, String name, byte[] content) throws IOException {
    out.putNextEntry(new ZipEntry(name));
    out.write(content);
    out.closeEntry();
  }

  private static Class<?> classNamed(String name) {
    try {
      return Class.forName(name, false, TinyPlugin.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
