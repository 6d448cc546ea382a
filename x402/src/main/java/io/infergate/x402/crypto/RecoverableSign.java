package io.infergate.x402.crypto;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * {@code secp256k1_ecdsa_sign_recoverable} in one native call, where acinq's JNI binding needs two (sign, then a
 * recover to learn the recovery id: about 35 of the 85 µs a signature costs). The function is in the very
 * library acinq loads: its JNI library is built with libsecp256k1's recovery module and exports that library's
 * symbols. This class reaches it through the foreign function API.
 *
 * <p>Design notes. The module compiles for Java 21, where that API is a preview, so it is looked up by reflection,
 * once, and then called through method handles with {@code Object} parameters: it works on Java 22 and later.
 * Anything missing (Java 21, a library built without the symbols, {@code -Dinfergate.secp256k1.one-call-sign=false})
 * leaves {@link #available()} false and {@link Secp256k1#sign} on its two-call path. The same library, the same
 * RFC 6979 nonce and the same low-s rule give the same 65 bytes; a self-test at start-up compares the two paths and
 * disables this one on any difference. Each thread has its own 208-byte native block (message, key, signature,
 * recovery id), freed with the thread by an automatic arena; the key's 32 bytes are zeroed after every call.
 */
final class RecoverableSign {
  private static final int MSG = 0;
  private static final int KEY = 32;
  private static final int OUT = 64;
  private static final int RECID = 128;
  private static final int SIG = 136;      // secp256k1_ecdsa_recoverable_signature: 65 opaque bytes
  private static final int SIZE = 208;
  private static final byte[] ZERO_KEY = new byte[32];

  private static final Natives NATIVES = Natives.load();
  private static final ThreadLocal<Block> BLOCKS = ThreadLocal.withInitial(() -> new Block(NATIVES));

  private RecoverableSign() {}

  /** Whether signatures take one native call in this JVM. */
  static boolean available() {
    return NATIVES != null;
  }

  /**
   * {@code r‖s‖v} over {@code digest} with {@code secret}: low s, {@code v ∈ {27, 28}}.
   *
   * @throws IllegalStateException when {@link #available()} is false or the library refuses the key
   */
  static byte[] sign(byte[] digest, byte[] secret) {
    if (NATIVES == null) {
      throw new IllegalStateException("the one-call recoverable sign is not available in this JVM");
    }
    return BLOCKS.get().sign(digest, secret);
  }

  /** One thread's native buffers. */
  private static final class Block {
    private final Natives n;
    private final Object msg;
    private final Object key;
    private final Object out;
    private final Object recid;
    private final Object sig;
    private final ByteBuffer view;

    Block(Natives n) {
      this.n = n;
      try {
        Object arena = n.ofAuto.invoke(null);
        Object block = n.allocate.invoke(arena, (long) SIZE, 16L);
        msg = n.slice.invoke(block, (long) MSG, 32L);
        key = n.slice.invoke(block, (long) KEY, 32L);
        out = n.slice.invoke(block, (long) OUT, 64L);
        recid = n.slice.invoke(block, (long) RECID, 4L);
        sig = n.slice.invoke(block, (long) SIG, 65L);
        view = ((ByteBuffer) n.asByteBuffer.invoke(block)).order(ByteOrder.nativeOrder());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot allocate the native buffers of the one-call sign", e);
      }
    }

    byte[] sign(byte[] digest, byte[] secret) {
      view.put(MSG, digest);
      view.put(KEY, secret);
      int ok;
      try {
        ok = (int) n.sign.invokeExact(n.context, sig, msg, key, n.nul, n.nul);
        if (ok == 1) {
          ok = (int) n.serialize.invokeExact(n.context, out, recid, sig);
        }
      } catch (Throwable t) {
        throw new IllegalStateException("secp256k1_ecdsa_sign_recoverable failed", t);
      } finally {
        view.put(KEY, ZERO_KEY);
      }
      if (ok != 1) {
        throw new IllegalStateException("secp256k1_ecdsa_sign_recoverable refused the key (returned " + ok + ")");
      }
      byte[] rsv = new byte[Signature.LENGTH];
      view.get(OUT, rsv, 0, 64);
      rsv[64] = (byte) (27 + view.getInt(RECID));
      return rsv;
    }
  }

  /** The foreign function API's objects, found once by reflection. */
  private record Natives(MethodHandle sign, MethodHandle serialize, Object context, Object nul, Method ofAuto,
      Method allocate, Method slice, Method asByteBuffer) {
    private static final int SECP256K1_CONTEXT_SIGN = (1 << 0) | (1 << 9);

    static Natives load() {
      if (!Boolean.parseBoolean(System.getProperty("infergate.secp256k1.one-call-sign", "true"))
          || Runtime.version().feature() < 22) {
        return null;
      }
      try {
        Secp256k1.lib();   // acinq's library is loaded (by this class loader), so its symbols can be looked up
        Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
        Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
        Class<?> segmentC = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> valueLayoutC = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> descriptorC = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option");
        Class<?> arenaC = Class.forName("java.lang.foreign.Arena");
        Object linker = linkerC.getMethod("nativeLinker").invoke(null);
        Object lookup = lookupC.getMethod("loaderLookup").invoke(null);
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
            return (MethodHandle) downcall.invoke(linker, symbol, descriptorOf.invoke(null, result, layouts),
                noOptions);
          }
        }
        Downcall d = new Downcall();
        Object context = d.of("secp256k1_context_create", address, jint)
            .asType(MethodType.methodType(Object.class, int.class)).invokeExact(SECP256K1_CONTEXT_SIGN);
        MethodHandle sign = d.of("secp256k1_ecdsa_sign_recoverable", jint, address, address, address, address,
            address, address).asType(MethodType.genericMethodType(6).changeReturnType(int.class));
        MethodHandle serialize = d.of("secp256k1_ecdsa_recoverable_signature_serialize_compact", jint, address,
            address, address, address).asType(MethodType.genericMethodType(4).changeReturnType(int.class));
        Natives n = new Natives(sign, serialize, context, segmentC.getField("NULL").get(null),
            arenaC.getMethod("ofAuto"), arenaC.getMethod("allocate", long.class, long.class),
            segmentC.getMethod("asSlice", long.class, long.class), segmentC.getMethod("asByteBuffer"));
        return n.agreesWithTwoCalls() ? n : null;
      } catch (Throwable t) {
        return null;   // Java 21 (preview API), a library without the symbols: Secp256k1.sign uses two calls
      }
    }

    /** The self-test: both recovery ids, the same bytes as sign + recover. */
    private boolean agreesWithTwoCalls() {
      PrivateKey key = PrivateKey.of(Keccak256.hash("infergate one-call sign self-test"));
      boolean[] seen = new boolean[2];
      for (int i = 0; i < 64 && !(seen[0] && seen[1]); i++) {
        byte[] digest = Keccak256.hash(new byte[] {(byte) i});
        byte[] twoCalls = Secp256k1.signWithTwoCalls(digest, key).toBytes();
        byte[] oneCall = new Block(this).sign(digest, key.secret());
        if (!java.util.Arrays.equals(twoCalls, oneCall)) {
          return false;
        }
        seen[oneCall[64] - 27] = true;
      }
      return seen[0] && seen[1];
    }
  }
}
