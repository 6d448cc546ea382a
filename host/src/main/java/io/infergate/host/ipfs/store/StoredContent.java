package io.infergate.host.ipfs.store;

import io.infergate.host.ipfs.cid.Cid;

/**
 * One complete file in the store.
 *
 * @param cid its root CID (v1)
 * @param size file bytes
 * @param pinned kept by GC until unpinned
 * @param inUse leased right now (GC keeps it too)
 */
public record StoredContent(Cid cid, long size, boolean pinned, boolean inUse) {}
