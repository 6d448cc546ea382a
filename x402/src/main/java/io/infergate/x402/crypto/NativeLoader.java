package io.infergate.x402.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads libsecp256k1's JNI library. acinq's own loader lives in {@code secp256k1-kmp-jni-jvm-extract}; when that
 * artifact is on the class path it is used ({@code Secp256k1.Companion.get()}). Otherwise the library is
 * extracted here from {@code secp256k1-kmp-jni-jvm-linux} (same resource path) and loaded directly, so the host
 * does not depend on one optional jar being declared. Only the linux-x86_64 and linux-aarch64 builds ship in
 * the declared artifacts.
 */
final class NativeLoader {
  private static final String ACINQ_LOADER = "fr.acinq.secp256k1.jni.NativeSecp256k1JvmLoader";

  private NativeLoader() {}

  static fr.acinq.secp256k1.Secp256k1 load() {
    ClassLoader cl = NativeLoader.class.getClassLoader();
    try {
      Class.forName(ACINQ_LOADER, false, cl);
      return fr.acinq.secp256k1.Secp256k1.Companion.get();
    } catch (ClassNotFoundException e) {
      // fall through: extract and load the library ourselves
    }
    String arch = "aarch64".equals(System.getProperty("os.arch")) ? "aarch64" : "x86_64";
    if (!System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      throw new IllegalStateException("libsecp256k1: only the Linux JNI build is on the class path; add "
          + "fr.acinq.secp256k1:secp256k1-kmp-jni-jvm-extract and the artifact for " + System.getProperty("os.name"));
    }
    String resource = "fr/acinq/secp256k1/jni/native/linux-" + arch + "/libsecp256k1-jni.so";
    try (InputStream in = cl.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("libsecp256k1: " + resource + " not on the class path; add "
            + "fr.acinq.secp256k1:secp256k1-kmp-jni-jvm-linux");
      }
      Path file = Files.createTempFile("infergate-secp256k1-jni", ".so");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      System.load(file.toAbsolutePath().toString());
    } catch (IOException e) {
      throw new IllegalStateException("libsecp256k1: cannot extract " + resource + ": " + e.getMessage(), e);
    }
    return fr.acinq.secp256k1.NativeSecp256k1.INSTANCE;
  }
}
