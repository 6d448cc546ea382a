/**
 * The Infergate node. {@link io.infergate.host.InfergateHost} wires the parts together; each feature has
 * its own package: {@code config}, {@code http}, {@code oip}, {@code plugins}, {@code models},
 * {@code inference}, {@code ipfs}, {@code metrics}, {@code cli}. ARCHITECTURE.md at the repository root
 * walks the data path of one call through them.
 */
package io.infergate.host;
