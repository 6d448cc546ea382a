package io.infergate.host.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request IDs for calls that bring none: a random per-process prefix and a counter. Unique within a node's
 * life and cheap; {@code UUID.randomUUID()} went through the shared SecureRandom on every call.
 */
final class RequestIds {
  private static final String PREFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
  private static final AtomicLong NEXT = new AtomicLong();

  private RequestIds() {}

  static String next() {
    return PREFIX + "-" + Long.toHexString(NEXT.incrementAndGet());
  }
}
