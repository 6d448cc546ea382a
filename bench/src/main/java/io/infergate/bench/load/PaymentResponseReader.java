package io.infergate.bench.load;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads {@code success} and {@code extra.channelState.chargedCumulativeAmount} from a {@code PAYMENT-RESPONSE}
 * header, straight from its base64 bytes, and nothing else. The header is 4–8 KB (an inference receipt rides in
 * {@code extensions}); decoding all of it into a JSON tree cost the load generator more CPU than signing the next
 * voucher. Here the base64 is decoded as the JSON is scanned, and the scan stops as soon as both values are seen:
 * with the host's member order ({@code success}, …, {@code extra}, {@code extensions}) the receipt is never
 * decoded. Members are matched by their path, not by name alone, so the receipt's own
 * {@code chargedCumulativeAmount} (in its types and message) is never taken for the channel's, whatever the
 * order of the members.
 *
 * <p>It is a scanner for well-formed JSON, not a validator: a header that is not base64 JSON, or that lacks
 * {@code "success": true} or the amount, fails with the decoded text in the message. Not thread-safe: one
 * instance per virtual client.
 */
final class PaymentResponseReader {
  private static final byte[] SUCCESS = ascii("success");
  private static final byte[] EXTRA = ascii("extra");
  private static final byte[] CHANNEL_STATE = ascii("channelState");
  private static final byte[] CHARGED = ascii("chargedCumulativeAmount");
  private static final int[] B64 = new int[128];

  static {
    Arrays.fill(B64, -1);
    byte[] alphabet = ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    for (int i = 0; i < alphabet.length; i++) {
      B64[alphabet[i]] = i;
    }
  }

  // the base64 input
  private byte[] src;
  private int srcPos;
  private int srcEnd;
  // decoded bytes not consumed yet (up to 3), and one byte pushed back
  private int q;
  private int qn;
  private int peeked = -2;
  // the key just read, when it is short enough to be one of ours
  private final byte[] key = new byte[32];
  private int keyLength;
  // what was found
  private int success;   // -1 not seen, 0 false (or not a boolean), 1 true
  private long chargedLong;
  private BigInteger chargedBig;
  private boolean chargedSeen;

  /** {@code extra.channelState.chargedCumulativeAmount} of the header in {@code b64[off, off + len)}. */
  BigInteger chargedCumulative(byte[] b64, int off, int len) {
    src = b64;
    srcPos = off;
    srcEnd = off + len;
    qn = 0;
    peeked = -2;
    success = -1;
    chargedSeen = false;
    chargedBig = null;
    try {
      if (nonSpace() != '{') {
        throw new IllegalArgumentException("not a JSON object");
      }
      object(0);
    } catch (RuntimeException e) {
      throw failure(b64, off, len, e.getMessage());
    }
    if (success != 1 || !chargedSeen) {
      throw failure(b64, off, len, null);
    }
    return chargedBig != null ? chargedBig : BigInteger.valueOf(chargedLong);
  }

  /** {@link #chargedCumulative(byte[], int, int)} of a header held as text. */
  BigInteger chargedCumulative(String header) {
    byte[] b = header.getBytes(StandardCharsets.ISO_8859_1);
    return chargedCumulative(b, 0, b.length);
  }

  private boolean done() {
    return success >= 0 && chargedSeen;
  }

  /**
   * The members of an object whose '{' was just read, at {@code level}: 0 the root, 1 the root's {@code extra}, 2
   * {@code extra.channelState}. Returns early, leaving the rest unread, once both values are known.
   */
  private void object(int level) {
    int c = nonSpace();
    if (c == '}') {
      return;
    }
    while (true) {
      if (c != '"') {
        throw new IllegalArgumentException("expected a member name");
      }
      readKey();
      if (nonSpace() != ':') {
        throw new IllegalArgumentException("expected ':'");
      }
      if (level == 0 && keyIs(SUCCESS)) {
        int v = nonSpace();
        success = v == 't' ? 1 : 0;
        unread(v);
        skipValue();
      } else if (level == 0 && keyIs(EXTRA) || level == 1 && keyIs(CHANNEL_STATE)) {
        int v = nonSpace();
        if (v == '{') {
          object(level + 1);
        } else {
          unread(v);
          skipValue();
        }
      } else if (level == 2 && keyIs(CHARGED)) {
        readAmount();
      } else {
        skipValue();
      }
      if (done()) {
        return;
      }
      c = nonSpace();
      if (c == '}') {
        return;
      }
      if (c != ',') {
        throw new IllegalArgumentException("expected ',' or '}'");
      }
      c = nonSpace();
    }
  }

  /** A member name whose opening quote was read; kept in {@link #key} when short and free of escapes. */
  private void readKey() {
    keyLength = 0;
    while (true) {
      int c = next();
      if (c == '"') {
        return;
      }
      if (c == '\\') {
        next();
        keyLength = Integer.MAX_VALUE;   // escaped: none of ours
      } else if (keyLength < key.length) {
        key[keyLength++] = (byte) c;
      } else {
        keyLength = Integer.MAX_VALUE;
      }
    }
  }

  private boolean keyIs(byte[] name) {
    return keyLength == name.length && Arrays.equals(key, 0, keyLength, name, 0, name.length);
  }

  /** A decimal amount, as a JSON string (the x402 form) or a bare number. */
  private void readAmount() {
    int c = nonSpace();
    boolean quoted = c == '"';
    if (quoted) {
      c = next();
    }
    long v = 0;
    int digits = 0;
    StringBuilder big = null;
    while (c >= '0' && c <= '9') {
      if (digits == 18) {
        big = new StringBuilder().append(v);
      }
      if (big != null) {
        big.append((char) c);
      } else {
        v = v * 10 + (c - '0');
      }
      digits++;
      c = next();
    }
    if (digits == 0 || (quoted ? c != '"' : false)) {
      throw new IllegalArgumentException("chargedCumulativeAmount is not a decimal amount");
    }
    if (!quoted) {
      unread(c);
    }
    chargedSeen = true;
    chargedLong = v;
    chargedBig = big == null ? null : new BigInteger(big.toString());
  }

  /** Skips one value of any kind. */
  private void skipValue() {
    int c = nonSpace();
    if (c == '"') {
      skipString();
    } else if (c == '{' || c == '[') {
      int depth = 1;
      while (depth > 0) {
        c = next();
        if (c == '"') {
          skipString();
        } else if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          depth--;
        }
      }
    } else {   // a number, true, false or null
      while (c != ',' && c != '}' && c != ']' && c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        c = next();
      }
      unread(c);
    }
  }

  private void skipString() {
    int c;
    while ((c = next()) != '"') {
      if (c == '\\') {
        next();
      }
    }
  }

  private int nonSpace() {
    int c;
    do {
      c = next();
    } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
    return c;
  }

  private void unread(int c) {
    peeked = c;
  }

  /** The next decoded byte; fails at the end of the input (a scan never needs to go past the closing '}'). */
  private int next() {
    if (peeked != -2) {
      int c = peeked;
      peeked = -2;
      return c;
    }
    if (qn == 0) {
      refill();
    }
    qn--;
    return (q >>> (8 * qn)) & 0xff;
  }

  /** Decodes the next 4 base64 characters into {@link #q}: 3 bytes, fewer at a padded end. */
  private void refill() {
    if (srcEnd - srcPos < 4) {
      throw new IllegalArgumentException("the JSON ends early");
    }
    int a = sextet(src[srcPos]);
    int b = sextet(src[srcPos + 1]);
    byte c3 = src[srcPos + 2];
    byte c4 = src[srcPos + 3];
    srcPos += 4;
    if (c4 != '=') {
      q = a << 18 | b << 12 | sextet(c3) << 6 | sextet(c4);
      qn = 3;
    } else if (c3 != '=') {
      q = (a << 18 | b << 12 | sextet(c3) << 6) >>> 8;
      qn = 2;
    } else {
      q = (a << 18 | b << 12) >>> 16;
      qn = 1;
    }
  }

  private static int sextet(byte c) {
    int v = c < 0 ? -1 : B64[c];
    if (v < 0) {
      throw new IllegalArgumentException("not base64");
    }
    return v;
  }

  private static IllegalStateException failure(byte[] b64, int off, int len, String why) {
    String text;
    try {
      text = new String(Base64.getDecoder().decode(Arrays.copyOfRange(b64, off, off + len)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      text = new String(b64, off, len, StandardCharsets.ISO_8859_1);
    }
    return new IllegalStateException("PAYMENT-RESPONSE without success and channelState.chargedCumulativeAmount"
        + (why == null ? "" : " (" + why + ")") + ": " + text);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
