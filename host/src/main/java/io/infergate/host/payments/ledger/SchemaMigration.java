package io.infergate.host.payments.ledger;

import java.util.List;

/**
 * One forward step of a component's schema; its DDL uses {@code ${UINT128}}, {@code ${UINT256}},
 * {@code ${BYTES}} and {@code ${ID}} for dialect types (see {@link LedgerDatabase#migrate}).
 */
public record SchemaMigration(int version, String description, List<String> statements) {
  public SchemaMigration {
    statements = List.copyOf(statements);
  }
}
