/**
 * The durable channel ledger: per x402 {@code batch-settlement} channel, what has been charged, the latest
 * accepted voucher, the mirrored on-chain state and the claim bookkeeping.
 *
 * <p>Start at {@link io.infergate.host.payments.ledger.ChannelLedger}: the contract every store keeps.
 * {@link io.infergate.host.payments.ledger.SqliteChannelLedger} is the embedded default (one node process per file,
 * locked by {@code LedgerFileLock}; WAL, charges fsynced before returning, with group commit; leases and the channels'
 * last committed state in memory); {@link io.infergate.host.payments.ledger.PostgresChannelLedger} is for several
 * replicas sharing one database (leases in {@code ledger_leases}). Both share {@code JdbcChannelLedger}, whose opening
 * comment explains leases ({@code ChannelLeases}), fencing tokens and compare-and-set. Safety (never two acceptances
 * of one increment) rests on the per-channel {@code version} compare-and-set alone; leases only keep replicas from
 * wasting work and expire by themselves (or, on SQLite, die with their process, as does the file lock), so a crash
 * never needs a manual unlock.
 *
 * <p>Schema changes are forward migrations in {@code LedgerSchema}, recorded per component in
 * {@code schema_version}; they also create the chain watcher's checkpoint table (ledger version 2), which
 * lives in the same database so the mirror and its progress cannot part. The receipt/charge journal (issue 4, receipts) will live in its own package
 * ({@code io.infergate.host.receipts}) with its own component name in the same table and database, and
 * can join on {@code ledger_channels.channel_id} and {@code version} (each committed charge has a unique
 * (channel_id, version)).
 */
package io.infergate.host.payments.ledger;
