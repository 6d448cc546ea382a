package io.infergate.client.receipts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One line of a {@link VerificationReport} or {@link AuditReport}: which check, its outcome, and why.
 *
 * @param name the check ({@code signature}, {@code registry}, {@code hashes}, {@code inclusion}, ...)
 * @param status the outcome
 * @param reason what was found, in words a user can act on
 */
public record Check(String name, CheckStatus status, String reason) {
  public Check {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }

  public static Check pass(String name, String reason) {
    return new Check(name, CheckStatus.PASS, reason);
  }

  public static Check fail(String name, String reason) {
    return new Check(name, CheckStatus.FAIL, reason);
  }

  public static Check skipped(String name, String reason) {
    return new Check(name, CheckStatus.SKIPPED, reason);
  }

  public static Check pending(String name, String reason) {
    return new Check(name, CheckStatus.PENDING, reason);
  }

  public static Check inconclusive(String name, String reason) {
    return new Check(name, CheckStatus.INCONCLUSIVE, reason);
  }

  ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("check", name);
    o.put("status", status.label());
    o.put("reason", reason);
    return o;
  }

  @Override
  public String toString() {
    return String.format("%-13s %-12s %s", status.label(), name, reason);
  }
}
