/**
 * CAR v1 (Content Addressable aRchive): a dag-cbor header {@code {roots: [cid], version: 1}} followed by
 * varint-framed sections {@code <cid><block bytes>}. The format blocks travel in between IPFS peers, gateways
 * and publishers.
 * <ul>
 *   <li>{@link io.infergate.host.ipfs.car.CarReader} streams a CAR and verifies every block against its CID,
 *       bounding header, section and total sizes ({@link io.infergate.host.ipfs.car.CarLimits}); truncation,
 *       unsupported versions (CARv2) and unexpected roots fail with a {@link io.infergate.host.ipfs.car.CarFormatException}.</li>
 *   <li>{@link io.infergate.host.ipfs.car.CarWriter} writes one; {@link io.infergate.host.ipfs.car.CarExporter}
 *       writes a DAG from a block source in depth-first order without duplicates, as trustless gateways serve
 *       {@code order=dfs; dups=n}.</li>
 * </ul>
 * {@link io.infergate.host.ipfs.car.CarHeader} hand-encodes the small dag-cbor header (canonical key order:
 * {@code roots} before {@code version}) and decodes any well-formed one.
 */
package io.infergate.host.ipfs.car;
