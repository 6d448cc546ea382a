package io.infergate.client.receipts;

/** The outcome of one check of a receipt or a receipt log. */
public enum CheckStatus {
  /** Checked and holds. */
  PASS,
  /** Checked and does not hold: the reason says what is wrong. */
  FAIL,
  /** Not checked: the reason says what was missing (e.g. the call is not in this client's store). */
  SKIPPED,
  /** Cannot be decided yet: e.g. the receipt's Merkle root is not on chain yet. Not a failure, not a pass. */
  PENDING,
  /** Checked but no verdict is possible, e.g. re-execution under a different runtime profile. */
  INCONCLUSIVE;

  /** Lower-case name, as the CLI prints it. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
