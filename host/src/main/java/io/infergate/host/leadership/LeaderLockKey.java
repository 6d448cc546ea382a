package io.infergate.host.leadership;

import io.infergate.host.payments.ledger.AdvisoryLockKeys;

/**
 * The 64-bit PostgreSQL advisory lock key of one role in one ledger: the first 8 bytes (big-endian, signed) of
 * {@code SHA-256("io.infergate.leader/v1/" + role + "/" + schema)}, where {@code schema} is the ledger's schema
 * ({@code current_schema()}, usually {@code public}).
 *
 * <p>Advisory locks are per database, not per schema, so the schema is part of the key: two ledgers in two schemas
 * of one database elect their leaders separately. The fixed namespace keeps the keys away from other
 * applications' advisory locks (and from the ledger's own migration lock). In schema {@code public}: claims
 * {@code -4860962378311861387} ({@code 0xbc8a6478ae2efb75}), anchoring {@code -2126113381661137500}
 * ({@code 0xe27e8724dde225a4}); the operator guide documents them and a test pins them.
 */
public record LeaderLockKey(long value) {
  static final String NAMESPACE = "io.infergate.leader/v1/";

  public static LeaderLockKey of(LeaderRole role, String schema) {
    return new LeaderLockKey(AdvisoryLockKeys.of(NAMESPACE + role.label() + "/" + schema));
  }

  /** The high half as {@code pg_locks.classid} shows it (an unsigned 32-bit oid). */
  long classId() {
    return value >>> 32;
  }

  /** The low half as {@code pg_locks.objid} shows it. */
  long objId() {
    return value & 0xffff_ffffL;
  }

  @Override
  public String toString() {
    return value + " (0x" + Long.toHexString(value) + ")";
  }
}
