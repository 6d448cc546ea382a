package io.infergate.client.receipts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * What {@link ReceiptVerifier#verify} found: one {@link Check} per step, in the order of the protocol's
 * verification procedure (signature, registry, hashes, inclusion, re-execution, equivocation).
 *
 * <pre>{@code
 * VerificationReport report = verifier.verify(receipt, VerifyOptions.defaults());
 * if (!report.ok()) report.failures().forEach(c -> System.err.println(c.name() + ": " + c.reason()));
 * }</pre>
 *
 * @param receiptId the receipt's id (EIP-712 digest)
 * @param checks the checks, in order
 */
public record VerificationReport(String receiptId, List<Check> checks) {
  public VerificationReport {
    checks = List.copyOf(checks);
  }

  /** True when no check failed (some may be skipped, pending or inconclusive). */
  public boolean ok() {
    return checks.stream().noneMatch(c -> c.status() == CheckStatus.FAIL);
  }

  /** True when every check passed: nothing failed, skipped, pending or inconclusive. */
  public boolean complete() {
    return checks.stream().allMatch(c -> c.status() == CheckStatus.PASS);
  }

  /** True when nothing failed but something is pending or inconclusive (ask again later, or re-run elsewhere). */
  public boolean undecided() {
    return ok() && checks.stream().anyMatch(c -> c.status() == CheckStatus.PENDING
        || c.status() == CheckStatus.INCONCLUSIVE);
  }

  public List<Check> failures() {
    return checks.stream().filter(c -> c.status() == CheckStatus.FAIL).toList();
  }

  /** The check called {@code name}. */
  public Optional<Check> check(String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** The status of the check called {@code name}. */
  public CheckStatus status(String name) {
    return check(name).map(Check::status).orElseThrow(() -> new IllegalArgumentException("no check " + name
        + " in this report; it has " + checks.stream().map(Check::name).toList()));
  }

  /** The exit code the CLI gives this report: 0 all checks passed or were skipped, 1 a failure, 3 undecided. */
  public int exitCode() {
    return !ok() ? 1 : undecided() ? 3 : 0;
  }

  /** {@code "ok"}, {@code "failed"} or {@code "undecided"}. */
  public String verdict() {
    return !ok() ? "failed" : undecided() ? "undecided" : "ok";
  }

  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("receiptId", receiptId);
    o.put("verdict", verdict());
    ArrayNode a = o.putArray("checks");
    checks.forEach(c -> a.add(c.toJson()));
    return o;
  }

  /** Human-readable: one line per check, then the verdict. */
  public String toText() {
    StringBuilder b = new StringBuilder("receipt ").append(receiptId).append('\n');
    checks.forEach(c -> b.append("  ").append(c).append('\n'));
    b.append("verdict: ").append(verdict());
    return b.toString();
  }
}
