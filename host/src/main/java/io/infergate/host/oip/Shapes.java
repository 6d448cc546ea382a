package io.infergate.host.oip;

/** Shape arithmetic and formatting shared by the decoder's messages and checks. */
final class Shapes {
  private Shapes() {}

  /** {@code [2,3]}: the compact form OIP clients write, so messages quote shapes as the caller sent them. */
  static String format(long[] shape) {
    StringBuilder s = new StringBuilder(2 + shape.length * 4).append('[');
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        s.append(',');
      }
      s.append(shape[i]);
    }
    return s.append(']').toString();
  }

  /** The product of the dimensions, or -1 if it does not fit a long (callers reject that shape). */
  static long elementCountOrOverflow(long[] shape) {
    long n = 1;
    try {
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
    } catch (ArithmeticException e) {
      return -1;
    }
    return n;
  }
}
