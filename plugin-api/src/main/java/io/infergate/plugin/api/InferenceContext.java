package io.infergate.plugin.api;

import java.time.Instant;

/** The host's side of one call: its models, bound to this call's deadline and cancellation. */
public interface InferenceContext {

  /** A runner for a declared model; runs through it are cancelled when the call times out. */
  ModelRunner model(String name);

  /** When the call times out; work after this is wasted. */
  Instant deadline();

  /** The request ID (OIP {@code id} or one the host made). */
  String requestId();
}
