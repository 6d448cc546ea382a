/**
 * The dag-pb codec (IPLD spec "DAG-PB"): {@link io.infergate.host.ipfs.dagpb.PbNode} with its
 * {@link io.infergate.host.ipfs.dagpb.PbLink}s, encoded by hand in the canonical form (links first, link
 * fields Hash, Name, Tsize in that order) so that our bytes, and so our CIDs, equal go-ipfs' and js-ipfs'.
 * Decoding is strict as the spec asks: unknown fields, wrong wire types and out-of-order fields are rejected,
 * so one node has one encoding. {@link io.infergate.host.ipfs.dagpb.Protobuf} holds the few protobuf
 * primitives needed here and by {@code ipfs.unixfs}.
 */
package io.infergate.host.ipfs.dagpb;
