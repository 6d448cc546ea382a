package io.infergate.bench.load;

import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.crypto.Secp256k1;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Signs a digest with {@code secp256k1_ecdsa_sign_recoverable}, in one native call, where
 * {@link Secp256k1#sign} makes two: acinq's JNI binding has no recoverable sign, so it signs and then recovers
 * the public key once to learn the recovery id (about 35 of its 85 µs on the bench machine). The function is
 * in the very library acinq loads (libsecp256k1 is built into its JNI library with the recovery module, and
 * exports its symbols); this class reaches it through the foreign function API. Same library, same RFC 6979
 * nonce, same low-s rule: the 65 bytes are {@link Secp256k1#sign}'s ({@code RecoverableSignerTest}).
 *
 * <p>The module compiles for Java 21, where the foreign function API is a preview, so it is looked up by
 * reflection, once, and then called through method handles with {@code Object} parameters; it runs on Java 22
 * and later (the bench runs on 25). {@link #forKey} returns null when the API or the symbol is missing, or with
 * {@code -Dinfergate.bench.recoverable-sign=false}: callers then use {@link Secp256k1#sign}. Not thread-safe: one
 * instance per virtual client (its native buffers are reused on every call).
 */
final class RecoverableSigner {
  private static final int MSG = 0;
  private static final int KEY = 32;
  private static final int OUT = 64;
  private static final int RECID = 128;
  private static final int SIG = 136;      // secp256k1_ecdsa_recoverable_signature: 65 opaque bytes
  private static final int SIZE = 208;
  private static final Natives NATIVES = Natives.load();

  private final Object msg;
  private final Object key;
  private final Object out;
  private final Object recid;
  private final Object sig;
  private final ByteBuffer view;

  private RecoverableSigner(byte[] secret) throws ReflectiveOperationException {
    Natives n = NATIVES;
    Object block = n.allocate.invoke(n.arena, (long) SIZE, 16L);
    msg = n.slice.invoke(block, (long) MSG, 32L);
    key = n.slice.invoke(block, (long) KEY, 32L);
    out = n.slice.invoke(block, (long) OUT, 64L);
    recid = n.slice.invoke(block, (long) RECID, 4L);
    sig = n.slice.invoke(block, (long) SIG, 65L);
    view = ((ByteBuffer) n.asByteBuffer.invoke(block)).order(ByteOrder.nativeOrder());
    view.put(KEY, secret);
  }

  /** A signer for {@code key}, or null when the recoverable sign cannot be reached (see the class comment). */
  static RecoverableSigner forKey(PrivateKey key) {
    if (NATIVES == null) {
      return null;
    }
    try {
      return new RecoverableSigner(HexFormat.of().parseHex(key.exportSecretHex().replaceFirst("^0x", "")));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Whether the recoverable sign is in use in this JVM. */
  static boolean available() {
    return NATIVES != null;
  }

  /** {@code r‖s‖v} over the 32-byte {@code digest}, low s, {@code v ∈ {27, 28}}: {@link Secp256k1#sign}'s bytes. */
  byte[] sign(byte[] digest) {
    if (digest.length != 32) {
      throw new IllegalArgumentException("ECDSA signs a 32-byte digest, got " + digest.length + " bytes");
    }
    view.put(MSG, digest);
    int ok;
    try {
      ok = (int) NATIVES.sign.invokeExact(NATIVES.context, sig, msg, key, NATIVES.nul, NATIVES.nul);
      if (ok == 1) {
        ok = (int) NATIVES.serialize.invokeExact(NATIVES.context, out, recid, sig);
      }
    } catch (Throwable t) {
      throw new IllegalStateException("secp256k1_ecdsa_sign_recoverable failed", t);
    }
    if (ok != 1) {
      throw new IllegalStateException("secp256k1_ecdsa_sign_recoverable returned " + ok);
    }
    byte[] rsv = new byte[65];
    view.get(OUT, rsv, 0, 64);
    rsv[64] = (byte) (27 + view.getInt(RECID));
    return rsv;
  }

  /** The foreign function API's objects, found once by reflection. */
  private record Natives(MethodHandle sign, MethodHandle serialize, Object context, Object nul, Object arena,
      Method allocate, Method slice, Method asByteBuffer) {
    private static final int SECP256K1_CONTEXT_SIGN = (1 << 0) | (1 << 9);

    static Natives load() {
      if (!Boolean.parseBoolean(System.getProperty("infergate.bench.recoverable-sign", "true"))) {
        return null;
      }
      try {
        Secp256k1.sign(new byte[32], PrivateKey.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
            17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}));   // acinq's library is loaded
        Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
        Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
        Class<?> segmentC = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> valueLayoutC = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> descriptorC = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option");
        Class<?> arenaC = Class.forName("java.lang.foreign.Arena");
        Object linker = linkerC.getMethod("nativeLinker").invoke(null);
        Object lookup = lookupC.getMethod("loaderLookup").invoke(null);   // the libraries this class loader loaded
        Object address = valueLayoutC.getField("ADDRESS").get(null);
        Object jint = valueLayoutC.getField("JAVA_INT").get(null);
        Method find = lookupC.getMethod("find", String.class);
        Method descriptorOf = descriptorC.getMethod("of", layoutC, layoutC.arrayType());
        Method downcall = linkerC.getMethod("downcallHandle", segmentC, descriptorC, optionC.arrayType());
        Object noOptions = Array.newInstance(optionC, 0);

        class Downcall {
          MethodHandle of(String name, Object result, Object... args) throws ReflectiveOperationException {
            Object symbol = ((Optional<?>) find.invoke(lookup, name)).orElseThrow(
                () -> new NoSuchMethodException(name + " is not exported by the loaded libsecp256k1"));
            Object layouts = Array.newInstance(layoutC, args.length);
            for (int i = 0; i < args.length; i++) {
              Array.set(layouts, i, args[i]);
            }
            MethodHandle h = (MethodHandle) downcall.invoke(linker, symbol, descriptorOf.invoke(null, result, layouts),
                noOptions);
            return h.asType(MethodType.genericMethodType(args.length).changeReturnType(int.class));
          }
        }
        Downcall d = new Downcall();
        MethodHandle create = (MethodHandle) downcall.invoke(linker,
            ((Optional<?>) find.invoke(lookup, "secp256k1_context_create")).orElseThrow(),
            descriptorOf.invoke(null, address, layoutArray(layoutC, jint)), noOptions);
        Object context = create.asType(MethodType.methodType(Object.class, int.class))
            .invokeExact(SECP256K1_CONTEXT_SIGN);
        MethodHandle sign = d.of("secp256k1_ecdsa_sign_recoverable", jint, address, address, address, address, address,
            address);
        MethodHandle serialize = d.of("secp256k1_ecdsa_recoverable_signature_serialize_compact", jint, address, address,
            address, address);
        Object arena = arenaC.getMethod("global").invoke(null);
        Natives n = new Natives(sign, serialize, context, segmentC.getField("NULL").get(null), arena,
            arenaC.getMethod("allocate", long.class, long.class), segmentC.getMethod("asSlice", long.class, long.class),
            segmentC.getMethod("asByteBuffer"));
        return n;
      } catch (Throwable t) {
        return null;   // Java 21 (preview API), another library build: callers use Secp256k1.sign
      }
    }

    private static Object layoutArray(Class<?> layoutC, Object... layouts) {
      Object a = Array.newInstance(layoutC, layouts.length);
      for (int i = 0; i < layouts.length; i++) {
        Array.set(a, i, layouts[i]);
      }
      return a;
    }
  }
}
