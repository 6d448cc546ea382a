/**
 * The node's content store: what it fetched, verified and may serve, in one directory.
 *
 * <pre>
 * &lt;dir&gt;/blocks/&lt;xy&gt;/&lt;base32 multihash&gt;   verified blocks, keyed by multihash (v0 and v1 CIDs share them);
 *                                      xy = the key's next-to-last two characters (Kubo's flatfs sharding)
 * &lt;dir&gt;/files/&lt;cidv1&gt;                    assembled files of complete roots, what ORT and PF4J open
 * &lt;dir&gt;/pins.json                         the pin set, rewritten atomically
 * &lt;dir&gt;/tmp/                              staging; every write lands here first, then is renamed into place
 * </pre>
 *
 * Start at {@link io.infergate.host.ipfs.store.ContentStore}: {@code add} (import a local file),
 * {@code importCar} (a CAR from anywhere, verified), {@code ensure} (one download per CID however many ask),
 * {@code lease} (use a file; GC keeps it), {@code pin}/{@code unpin}/{@code list}/{@code gc}.
 * {@link io.infergate.host.ipfs.store.FileBlockStore} is the block directory alone.
 */
package io.infergate.host.ipfs.store;
