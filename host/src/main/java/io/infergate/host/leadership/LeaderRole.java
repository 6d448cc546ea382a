package io.infergate.host.leadership;

import java.util.Locale;

/** What a leader is elected for; each role has its own lock, so the claims and anchoring leaders may differ. */
public enum LeaderRole {
  /** The claim scheduler's rounds: claims and settles with the facilitator key. */
  CLAIMS,
  /** The receipt anchorer's rounds: root commits with the receipt key. */
  ANCHORING;

  /** The name in metrics, logs and status ({@code claims}, {@code anchoring}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
