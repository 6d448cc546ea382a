/**
 * Content identifiers. {@link io.infergate.host.ipfs.cid.Cid} is the immutable value type: parse and print
 * CIDv0 ({@code Qm…}, base58btc) and CIDv1 (multibase base32 {@code b…}; base58btc {@code z…} accepted),
 * compute one for a block and verify a block against one. Only what the node needs is supported, and
 * everything else is rejected by name: multihash sha2-256 ({@link io.infergate.host.ipfs.cid.Multihash}) and
 * the codecs raw and dag-pb ({@link io.infergate.host.ipfs.cid.Codec}). {@link io.infergate.host.ipfs.cid.Varint}
 * is the unsigned LEB128 varint used by every multiformat and by CAR framing.
 */
package io.infergate.host.ipfs.cid;
