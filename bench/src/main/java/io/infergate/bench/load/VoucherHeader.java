package io.infergate.bench.load;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A channel's {@code PAYMENT-SIGNATURE} header laid out once, so the next one costs a few hundred bytes of work
 * instead of a JSON tree and a 1.3 KB base64 encoding. Every voucher of one channel encodes to the same JSON but
 * for two values: {@code maxClaimableAmount} (decimal digits) and {@code signature} ({@code 0x} + 130 hex
 * digits); neither needs JSON escaping. The template is taken from the reference encoder itself (called once
 * with sentinel values, its output decoded and cut at them), so it follows whatever that encoder writes: member
 * order, the offer echoed as {@code accepted}, the channel config.
 *
 * <p>Base64 works on 3-byte groups, so the JSON before the first variable value, cut down to a multiple of 3
 * bytes, encodes to the same characters on every call: those are kept encoded. Each call encodes only the rest
 * (about 160 bytes of JSON for a voucher). The output is the reference's, byte for byte (checked once here, and
 * for many amounts by {@code VoucherHeaderTest}).
 *
 * <p>Not thread-safe: one instance per virtual client.
 */
final class VoucherHeader {
  /** What the template stands for: the reference encoding of a voucher, e.g. {@code X402Codec}'s. */
  @FunctionalInterface
  interface Reference {
    /** The base64 header for a voucher of {@code maxClaimable} carrying {@code signatureHex} ({@code 0x…}). */
    String encode(BigInteger maxClaimable, String signatureHex);
  }

  private static final byte[] B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  /** 36 digits, below 2^128, and not a run of one digit that could sit in an address or a salt by chance. */
  private static final BigInteger AMOUNT_SENTINEL = new BigInteger("271828182845904523536028747135266249");
  private static final String SIGNATURE_SENTINEL = "0x" + "c0ffee".repeat(21) + "c0ffee1234";   // 130 hex digits

  private final byte[] encodedHead;   // base64 of json[0, cut), cut a multiple of 3
  private final byte[] headRest;      // json[cut, first variable)
  private final byte[] between;       // json between the two variables
  private final byte[] tail;          // json after the second variable
  private final boolean amountFirst;
  private final byte[] scratch;       // the JSON still to encode on each call

  VoucherHeader(Reference reference) {
    byte[] json = Base64.getDecoder().decode(reference.encode(AMOUNT_SENTINEL, SIGNATURE_SENTINEL));
    byte[] amount = AMOUNT_SENTINEL.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] signature = SIGNATURE_SENTINEL.getBytes(StandardCharsets.US_ASCII);
    int a = onlyIndexOf(json, amount, "maxClaimableAmount");
    int s = onlyIndexOf(json, signature, "signature");
    amountFirst = a < s;
    int first = Math.min(a, s);
    int firstEnd = first + (amountFirst ? amount.length : signature.length);
    int second = Math.max(a, s);
    int secondEnd = second + (amountFirst ? signature.length : amount.length);
    if (firstEnd > second) {
      throw new IllegalStateException("the voucher's amount and signature overlap in the reference encoding");
    }
    int cut = first - first % 3;
    encodedHead = Base64.getEncoder().encode(Arrays.copyOf(json, cut));
    headRest = Arrays.copyOfRange(json, cut, first);
    between = Arrays.copyOfRange(json, firstEnd, second);
    tail = Arrays.copyOfRange(json, secondEnd, json.length);
    scratch = new byte[headRest.length + between.length + tail.length + 40 + 132];
    // Self-check once on other values (a sentinel might also have matched by chance inside a constant).
    BigInteger checkAmount = BigInteger.valueOf(1_234_567_000L);
    String checkSignature = "0x" + "0123456789abcdef".repeat(8) + "1b";
    String expected = reference.encode(checkAmount, checkSignature);
    String got = new String(encode(checkAmount, hexBytes(checkSignature)), StandardCharsets.US_ASCII);
    if (!expected.equals(got)) {
      throw new IllegalStateException("the header template does not reproduce the reference encoding");
    }
  }

  /**
   * The header (base64, ASCII bytes) for a voucher of {@code maxClaimable} signed with {@code signature} (65
   * bytes, {@code r‖s‖v}). A new array each call: a caller may keep one header while it builds the next.
   */
  byte[] encode(BigInteger maxClaimable, byte[] signature) {
    if (signature.length != 65) {
      throw new IllegalArgumentException("a signature is 65 bytes, got " + signature.length);
    }
    if (maxClaimable.signum() < 0) {
      throw new IllegalArgumentException("negative amount " + maxClaimable);
    }
    byte[] b = scratch;
    int n = 0;
    System.arraycopy(headRest, 0, b, n, headRest.length);
    n += headRest.length;
    n = amountFirst ? putAmount(b, n, maxClaimable) : putSignature(b, n, signature);
    System.arraycopy(between, 0, b, n, between.length);
    n += between.length;
    n = amountFirst ? putSignature(b, n, signature) : putAmount(b, n, maxClaimable);
    System.arraycopy(tail, 0, b, n, tail.length);
    n += tail.length;

    byte[] out = new byte[encodedHead.length + (n + 2) / 3 * 4];
    System.arraycopy(encodedHead, 0, out, 0, encodedHead.length);
    int o = encodedHead.length;
    int i = 0;
    for (; i + 3 <= n; i += 3) {
      int v = (b[i] & 0xff) << 16 | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff);
      out[o++] = B64[v >>> 18];
      out[o++] = B64[(v >>> 12) & 63];
      out[o++] = B64[(v >>> 6) & 63];
      out[o++] = B64[v & 63];
    }
    if (i < n) {   // one or two bytes left: padded
      int v = (b[i] & 0xff) << 16 | (i + 1 < n ? (b[i + 1] & 0xff) << 8 : 0);
      out[o++] = B64[v >>> 18];
      out[o++] = B64[(v >>> 12) & 63];
      out[o++] = i + 1 < n ? B64[(v >>> 6) & 63] : (byte) '=';
      out[o] = '=';
    }
    return out;
  }

  private static int putAmount(byte[] b, int n, BigInteger amount) {
    if (amount.bitLength() < 63) {   // every real amount: no BigInteger.toString
      long v = amount.longValue();
      int digits = 1;
      for (long t = v; t >= 10; t /= 10) {
        digits++;
      }
      for (int k = n + digits - 1; k >= n; k--) {
        b[k] = (byte) ('0' + v % 10);
        v /= 10;
      }
      return n + digits;
    }
    byte[] d = amount.toString().getBytes(StandardCharsets.US_ASCII);
    if (d.length > 40) {
      throw new IllegalArgumentException("amount above 2^128: " + amount);
    }
    System.arraycopy(d, 0, b, n, d.length);
    return n + d.length;
  }

  private static int putSignature(byte[] b, int n, byte[] signature) {
    b[n++] = '0';
    b[n++] = 'x';
    for (byte x : signature) {
      b[n++] = HEX[(x >>> 4) & 15];
      b[n++] = HEX[x & 15];
    }
    return n;
  }

  private static byte[] hexBytes(String hex) {
    byte[] out = new byte[(hex.length() - 2) / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex, 2 + 2 * i, 4 + 2 * i, 16);
    }
    return out;
  }

  private static int onlyIndexOf(byte[] json, byte[] what, String name) {
    int found = -1;
    for (int i = 0; i + what.length <= json.length; i++) {
      if (Arrays.equals(json, i, i + what.length, what, 0, what.length)) {
        if (found >= 0) {
          throw new IllegalStateException("the sentinel " + name + " occurs twice in the reference encoding");
        }
        found = i;
      }
    }
    if (found < 0) {
      throw new IllegalStateException("the reference encoding does not hold the " + name + " it was given");
    }
    return found;
  }
}
