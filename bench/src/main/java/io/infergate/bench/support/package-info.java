/**
 * What every benchmark shares: {@link io.infergate.bench.support.HostSessionOptions} opens bare ORT sessions
 * with the host's settings, so "ORT alone" and "through the host" differ only by the host;
 * {@link io.infergate.bench.support.InProcessNode} is the host's call path without a socket (plugin loading,
 * OIP decoding, the service executor, OIP encoding); {@link io.infergate.bench.support.DirectModelRunner} runs a
 * plugin's {@code infer} over a bare session.
 */
package io.infergate.bench.support;
