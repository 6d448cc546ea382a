package io.infergate.host.ipfs.store;

import io.infergate.host.ipfs.car.CarLimits;
import io.infergate.host.ipfs.unixfs.DagLimits;

/**
 * Content store settings.
 *
 * @param maxBytes size budget for blocks plus assembled files; past it the store collects garbage, then refuses
 * @param dagLimits bounds on DAGs assembled or walked
 * @param carLimits bounds on CARs imported
 */
public record ContentStoreOptions(long maxBytes, DagLimits dagLimits, CarLimits carLimits) {
  /** Default budget: 20 GiB. */
  public static final long DEFAULT_MAX_BYTES = 20L << 30;

  public ContentStoreOptions {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("store maxBytes must be positive, got " + maxBytes);
    }
  }

  public static ContentStoreOptions defaults() {
    return new ContentStoreOptions(DEFAULT_MAX_BYTES, DagLimits.defaults(), CarLimits.defaults());
  }

  public ContentStoreOptions withMaxBytes(long v) {
    return new ContentStoreOptions(v, dagLimits, carLimits);
  }
}
