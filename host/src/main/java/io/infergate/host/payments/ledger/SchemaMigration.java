package io.infergate.host.payments.ledger;

import java.util.List;

/**
 * One forward step of a component's schema; its DDL uses {@code ${UINT128}}, {@code ${UINT256}},
 * {@code ${BYTES}}, {@code ${ID}} and {@code ${WITHOUT_ROWID}} (SQLite's table option, empty on PostgreSQL) for dialect
 * types (see {@link LedgerDatabase#migrate}).
 */
public record SchemaMigration(int version, String description, List<String> statements) {
  public SchemaMigration {
    statements = List.copyOf(statements);
  }
}
