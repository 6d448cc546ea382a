package io.infergate.host.receipts;

import io.infergate.host.payments.ledger.SchemaMigration;
import java.util.List;

/**
 * The receipt journal's tables, component {@code receipts} in the ledger's database (forward-only migrations,
 * recorded in {@code schema_version} next to the ledger's).
 *
 * <ul>
 *   <li>{@code receipt_streams}: per signer, the next {@code seq} (PostgreSQL). The charge's transaction
 *       increments it with an upsert, which row-locks it until commit: replicas sharing one signer key queue on
 *       that row, and a rolled-back charge gives its number back, so numbers are gapless. On SQLite (one writer)
 *       the charge reads the next seq from the receipts' primary key instead and leaves this row alone; batch
 *       preparation still locks it.
 *   <li>{@code receipts}: one row per receipt, keyed {@code (signer, seq)}, unique {@code id} (the EIP-712 digest),
 *       indexed by channel; amounts as decimal text.
 *   <li>{@code receipt_log} (SQLite): the receipts of the last moments, the same columns keyed {@code (signer, seq)}
 *       only. A paid call's transaction appends its receipt here, one B-tree page, instead of to {@code receipts}
 *       and its three indexes (four pages, one of them random); {@link ReceiptJournal#flushLog} moves them into
 *       {@code receipts} in batches off the request path, and every read moves them first. Unused on PostgreSQL.
 *   <li>{@code receipt_profiles}: the canonical runtime-profile JSON per hash, written once per profile.
 *   <li>{@code receipt_batches}: Merkle batches over runs of one signer's receipts and their anchoring state.
 * </ul>
 */
final class ReceiptSchema {
  static final String COMPONENT = "receipts";

  static final List<SchemaMigration> MIGRATIONS = List.of(
      new SchemaMigration(1, "receipt streams, receipts, runtime profiles, anchoring batches", List.of(
          """
          CREATE TABLE receipt_streams (
            signer TEXT PRIMARY KEY,
            next_seq BIGINT NOT NULL CHECK (next_seq >= 0)
          )""",
          """
          CREATE TABLE receipts (
            signer TEXT NOT NULL,
            seq BIGINT NOT NULL CHECK (seq >= 0),
            id TEXT NOT NULL UNIQUE,
            channel_id TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            response_hash TEXT NOT NULL,
            provider TEXT NOT NULL,
            service TEXT NOT NULL,
            plugin_cid TEXT NOT NULL,
            model_cid TEXT NOT NULL,
            runtime_profile_hash TEXT NOT NULL,
            max_claimable TEXT NOT NULL,
            charged TEXT NOT NULL,
            charged_cumulative TEXT NOT NULL,
            issued_at BIGINT NOT NULL,
            chain_id BIGINT NOT NULL,
            verifying_contract TEXT NOT NULL,
            signature ${BYTES} NOT NULL,
            created_at_ms BIGINT NOT NULL,
            PRIMARY KEY (signer, seq)
          )""",
          "CREATE INDEX receipts_channel ON receipts (channel_id, seq)",
          """
          CREATE TABLE receipt_profiles (
            hash TEXT PRIMARY KEY,
            profile TEXT NOT NULL
          )""",
          """
          CREATE TABLE receipt_batches (
            id ${ID},
            signer TEXT NOT NULL,
            first_seq BIGINT NOT NULL,
            last_seq BIGINT NOT NULL,
            root TEXT NOT NULL,
            status TEXT NOT NULL,
            tx_hash TEXT,
            commitment_index BIGINT NOT NULL,
            block_number BIGINT NOT NULL,
            attempts INTEGER NOT NULL,
            last_error TEXT,
            prepared_at_ms BIGINT NOT NULL,
            updated_at_ms BIGINT NOT NULL,
            UNIQUE (signer, first_seq),
            CHECK (first_seq <= last_seq)
          )""",
          "CREATE INDEX receipt_batches_last ON receipt_batches (signer, last_seq)")),
      new SchemaMigration(2, "receipt log: SQLite's paid calls append here, moved into receipts in batches", List.of(
          """
          CREATE TABLE receipt_log (
            signer TEXT NOT NULL,
            seq BIGINT NOT NULL CHECK (seq >= 0),
            id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            response_hash TEXT NOT NULL,
            provider TEXT NOT NULL,
            service TEXT NOT NULL,
            plugin_cid TEXT NOT NULL,
            model_cid TEXT NOT NULL,
            runtime_profile_hash TEXT NOT NULL,
            max_claimable TEXT NOT NULL,
            charged TEXT NOT NULL,
            charged_cumulative TEXT NOT NULL,
            issued_at BIGINT NOT NULL,
            chain_id BIGINT NOT NULL,
            verifying_contract TEXT NOT NULL,
            signature ${BYTES} NOT NULL,
            created_at_ms BIGINT NOT NULL,
            PRIMARY KEY (signer, seq)
          ) ${WITHOUT_ROWID}""")));

  private ReceiptSchema() {}
}
