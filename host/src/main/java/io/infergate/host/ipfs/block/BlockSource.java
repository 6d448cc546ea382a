package io.infergate.host.ipfs.block;

import io.infergate.host.ipfs.cid.Cid;
import java.util.Optional;

/**
 * Where blocks come from. Implementations may block (disk, network); callers run them off the event loop.
 * A source may return unverified bytes: consumers such as the assembler verify every block themselves, so a
 * source never has to be trusted.
 */
@FunctionalInterface
public interface BlockSource {
  /** The bytes of the block named by {@code cid}, or empty if this source does not hold it. */
  Optional<byte[]> get(Cid cid);

  /** A short description for messages ("content store /var/...", "CAR file x.car"). */
  default String describe() {
    return getClass().getSimpleName();
  }
}
