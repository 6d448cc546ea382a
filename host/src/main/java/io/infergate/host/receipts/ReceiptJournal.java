package io.infergate.host.receipts;

import io.infergate.host.models.RuntimeProfile;
import io.infergate.host.payments.ledger.ChannelLedger;
import io.infergate.host.payments.ledger.LedgerDatabase;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.Signature;
import io.infergate.x402.receipt.InferenceReceipt;
import io.infergate.x402.receipt.SignedReceipt;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable receipt journal in the ledger's database (SQLite or PostgreSQL; tables in {@link ReceiptSchema}).
 * Receipts are appended only inside a charge's transaction ({@link ReceiptIssuer}), so a receipt exists exactly
 * when its charge does and {@code seq} has no gaps; everything else here reads, or keeps the anchoring batches.
 *
 * <p>Construct one per database with {@link #open(ChannelLedger)}: it shares the ledger's connections and
 * transaction discipline (on SQLite, one writer lock per file, so nothing spins on {@code SQLITE_BUSY}), and it
 * creates or upgrades its tables on first open.
 *
 * <p>Batches: {@code attempts} counts {@link #markFailed} calls; {@link #markSubmitted} of a committed batch,
 * or of an unknown one, throws {@link IllegalStateException}.
 */
public final class ReceiptJournal implements ReceiptLog {
  private static final String COLUMNS = "r.signer, r.seq, r.id, r.channel_id, r.request_hash, r.response_hash,"
      + " r.provider, r.service, r.plugin_cid, r.model_cid, r.runtime_profile_hash, r.max_claimable, r.charged,"
      + " r.charged_cumulative, r.issued_at, r.chain_id, r.verifying_contract, r.signature, p.profile";
  private static final String FROM = " FROM receipts r LEFT JOIN receipt_profiles p ON p.hash = r.runtime_profile_hash";
  private static final String BATCH_COLUMNS = "id, signer, first_seq, last_seq, root, status, tx_hash,"
      + " commitment_index, block_number, attempts, last_error, prepared_at_ms";
  /** Most receipts one listing returns. */
  public static final int MAX_LIMIT = 1000;

  private final LedgerDatabase db;
  private final Clock clock;
  /**
   * Whether {@code receipt_log} may hold rows: set by every append (before its commit), cleared by a flush before it
   * moves. True at start, for what a previous run left there.
   */
  private final java.util.concurrent.atomic.AtomicBoolean logged = new java.util.concurrent.atomic.AtomicBoolean(true);
  private final Object flushing = new Object();

  private ReceiptJournal(LedgerDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The journal in {@code ledger}'s database, its tables created or upgraded. */
  public static ReceiptJournal open(ChannelLedger ledger) {
    return open(ledger.database(), Clock.systemUTC());
  }

  /** The journal in {@code db}, its tables created or upgraded; {@code clock} stamps batch updates. */
  public static ReceiptJournal open(LedgerDatabase db, Clock clock) {
    db.migrate(ReceiptSchema.COMPONENT, ReceiptSchema.MIGRATIONS);
    return new ReceiptJournal(db, clock);
  }

  static String key(Address a) {
    return a.toString().toLowerCase(Locale.ROOT);
  }

  // ---- appending (inside the charge's transaction)

  /**
   * Allocates {@code signer}'s next seq, builds the receipt with it, signs it and inserts it. Runs on the caller's
   * connection and transaction, so the receipt commits (or not) with the charge.
   *
   * <p>Where it goes depends on the database. PostgreSQL: into {@code receipts}, its seq from the
   * {@code receipt_streams} counter row, row-locked until the transaction ends, which orders replicas sharing one
   * signer. SQLite: the ledger's one connection holds the file exclusively and writes one transaction at a time, so
   * the next seq is the largest stored one plus one (read from the two tables' keys), and the row goes to
   * {@code receipt_log}: one B-tree page for the WAL instead of {@code receipts}' four (its table, key and two
   * indexes, one of them at a random place) and {@code receipt_streams}' row. {@link #flushLog} moves it on.
   */
  SignedReceipt append(Connection c, ReceiptIssuer.Signer signer, ReceiptIssuer.Draft draft,
      Bytes32 channelId, BigInteger chargedAmount, BigInteger chargedCumulative, long nowMillis) throws SQLException {
    long seq;
    boolean sqlite = db.dialect() == LedgerDatabase.Dialect.SQLITE;
    try (PreparedStatement next = c.prepareStatement(sqlite ? NEXT_SEQ_SINGLE_WRITER : NEXT_SEQ)) {
      next.setString(1, key(signer.address()));
      if (sqlite) {
        next.setString(2, key(signer.address()));
      }
      try (ResultSet rs = next.executeQuery()) {
        rs.next();
        seq = rs.getLong(1) - 1;
      }
    }
    InferenceReceipt r = new InferenceReceipt(draft.requestHash(), draft.responseHash(), signer.provider(),
        draft.facts().service(), draft.facts().pluginCid(), draft.facts().modelCid(),
        draft.facts().profile().hash(), channelId, draft.voucherMax(), chargedAmount, chargedCumulative, seq,
        nowMillis / 1000);
    SignedReceipt signed = signer.sign(r);
    if (sqlite) {
      logged.set(true);
    }
    try (PreparedStatement ps = c.prepareStatement(sqlite ? INSERT_LOG : INSERT)) {
      ps.setString(1, key(signer.address()));
      ps.setLong(2, seq);
      ps.setString(3, signed.id());
      ps.setString(4, channelId.toString());
      ps.setString(5, r.requestHash().toString());
      ps.setString(6, r.responseHash().toString());
      ps.setString(7, key(r.provider()));
      ps.setString(8, r.service());
      ps.setString(9, r.pluginCid());
      ps.setString(10, r.modelCid().toString());
      ps.setString(11, r.runtimeProfileHash().toString());
      ps.setString(12, r.maxClaimableAmount().toString());
      ps.setString(13, r.chargedAmount().toString());
      ps.setString(14, r.chargedCumulativeAmount().toString());
      ps.setLong(15, r.issuedAt());
      ps.setLong(16, signed.domain().chainId());
      ps.setString(17, key(signed.domain().verifyingContract()));
      ps.setBytes(18, signed.signature().toBytes());
      ps.setLong(19, nowMillis);
      ps.executeUpdate();
    }
    return signed;
  }

  /**
   * The statements of {@link #append}, run on the caller's connection: the SQLite ledger keeps its prepared
   * statements ({@code StatementCache}) and the PostgreSQL driver caches parsed queries per connection, so they are
   * not parsed again per call.
   */
  private static final String NEXT_SEQ = "INSERT INTO receipt_streams (signer, next_seq) VALUES (?, 1)"
      + " ON CONFLICT (signer) DO UPDATE SET next_seq = receipt_streams.next_seq + 1 RETURNING next_seq";
  /** The same answer (the next seq plus one) from the receipts themselves, for a database with one writer. */
  private static final String NEXT_SEQ_SINGLE_WRITER = "SELECT MAX(COALESCE((SELECT MAX(seq) FROM receipt_log"
      + " WHERE signer = ?), -1), COALESCE((SELECT MAX(seq) FROM receipts WHERE signer = ?), -1)) + 2";
  private static final String STORED_COLUMNS = "signer, seq, id, channel_id, request_hash, response_hash, provider,"
      + " service, plugin_cid, model_cid, runtime_profile_hash, max_claimable, charged, charged_cumulative, issued_at,"
      + " chain_id, verifying_contract, signature, created_at_ms";
  private static final String VALUES = " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT = "INSERT INTO receipts (" + STORED_COLUMNS + ")" + VALUES;
  private static final String INSERT_LOG = "INSERT INTO receipt_log (" + STORED_COLUMNS + ")" + VALUES;
  /** Receipts one {@link #flushLog} transaction moves: short enough not to hold paid calls' commits for long. */
  static final int FLUSH_BATCH = 64;
  private static final String MOVE_LOG = "INSERT INTO receipts (" + STORED_COLUMNS + ") SELECT " + STORED_COLUMNS
      + " FROM receipt_log ORDER BY signer, seq LIMIT " + FLUSH_BATCH;
  private static final String DELETE_MOVED = "DELETE FROM receipt_log WHERE (signer, seq) IN (SELECT signer, seq"
      + " FROM receipt_log ORDER BY signer, seq LIMIT " + FLUSH_BATCH + ")";

  /**
   * Moves the receipts SQLite's paid calls appended to {@code receipt_log} into {@code receipts}, in transactions
   * of {@link #FLUSH_BATCH}; returns how many moved. Each move is one transaction (inserted there, deleted here), so
   * a crash leaves every receipt in exactly one of the two tables. The node calls it every second off the request
   * path; every read of this journal calls it first, so readers see every committed receipt. A no-op on PostgreSQL.
   */
  public int flushLog() {
    if (db.dialect() != LedgerDatabase.Dialect.SQLITE) {
      return 0;
    }
    // One flush at a time: a reader that found the flag cleared by a flush still moving must wait for that flush,
    // or it would read before the receipts it has to see are in receipts.
    synchronized (flushing) {
      if (!logged.getAndSet(false)) {
        return 0;
      }
      return moveAll();
    }
  }

  private int moveAll() {
    int moved = 0;
    try {
      while (true) {
        int n = db.write(ReceiptJournal::moveLogBatch);
        moved += n;
        if (n < FLUSH_BATCH) {
          return moved;
        }
      }
    } catch (RuntimeException e) {
      logged.set(true);     // what did not move is still there: the next flush tries again
      throw e;
    }
  }

  private static int moveLogBatch(Connection c) throws SQLException {
    int n;
    try (PreparedStatement ps = c.prepareStatement(MOVE_LOG)) {
      n = ps.executeUpdate();
    }
    if (n > 0) {
      try (PreparedStatement ps = c.prepareStatement(DELETE_MOVED)) {
        int deleted = ps.executeUpdate();
        if (deleted != n) {
          throw new SQLException("moved " + n + " receipts from receipt_log but deleted " + deleted
              + "; the transaction is rolled back");
        }
      }
    }
    return n;
  }

  /** Records a runtime profile's canonical JSON under its hash (idempotent). */
  public void storeProfile(RuntimeProfile profile) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO receipt_profiles (hash, profile) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING")) {
        ps.setString(1, profile.hash().toString());
        ps.setString(2, profile.canonicalJson());
        return ps.executeUpdate();
      }
    });
  }

  // ---- serving

  /** The receipt with this id ({@code 0x}-hex digest, any case), if stored. */
  public Optional<StoredReceipt> receipt(String id) {
    String wanted = Objects.requireNonNull(id, "id").toLowerCase(Locale.ROOT);
    flushLog();
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM + " WHERE r.id = ?")) {
        ps.setString(1, wanted);
        List<StoredReceipt> found = stored(ps);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
      }
    });
  }

  /** Receipts of {@code channelId} with {@code seq > afterSeq}, in seq order, at most {@code limit}. */
  public List<StoredReceipt> byChannel(String channelId, long afterSeq, int limit) {
    String channel = Objects.requireNonNull(channelId, "channelId").toLowerCase(Locale.ROOT);
    int n = checkLimit(limit);
    flushLog();
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM
          + " WHERE r.channel_id = ? AND r.seq > ? ORDER BY r.seq, r.signer LIMIT ?")) {
        ps.setString(1, channel);
        ps.setLong(2, afterSeq);
        ps.setInt(3, n);
        return stored(ps);
      }
    });
  }

  /** Full receipts of {@code signer} with {@code seq >= fromSeq}, in order, at most {@code limit}. */
  public List<StoredReceipt> receipts(Address signer, long fromSeq, int limit) {
    int n = checkLimit(limit);
    flushLog();
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM
          + " WHERE r.signer = ? AND r.seq >= ? ORDER BY r.seq LIMIT ?")) {
        ps.setString(1, key(signer));
        ps.setLong(2, fromSeq);
        ps.setInt(3, n);
        return stored(ps);
      }
    });
  }

  /** How many receipts {@code signer} has stored. */
  public long count(Address signer) {
    flushLog();
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM receipts WHERE signer = ?")) {
        ps.setString(1, key(signer));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  private static int checkLimit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    return limit;
  }

  private static List<StoredReceipt> stored(PreparedStatement ps) throws SQLException {
    List<StoredReceipt> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        InferenceReceipt r = new InferenceReceipt(Bytes32.parse(rs.getString("request_hash")),
            Bytes32.parse(rs.getString("response_hash")), Address.parse(rs.getString("provider")),
            rs.getString("service"), rs.getString("plugin_cid"), Bytes32.parse(rs.getString("model_cid")),
            Bytes32.parse(rs.getString("runtime_profile_hash")), Bytes32.parse(rs.getString("channel_id")),
            new BigInteger(rs.getString("max_claimable")), new BigInteger(rs.getString("charged")),
            new BigInteger(rs.getString("charged_cumulative")), rs.getLong("seq"), rs.getLong("issued_at"));
        SignedReceipt signed = SignedReceipt.of(r, InferenceReceipt.domain(rs.getLong("chain_id"),
            Address.parse(rs.getString("verifying_contract"))), Signature.of(rs.getBytes("signature")));
        if (!signed.id().equals(rs.getString("id"))) {
          throw new SQLException("receipt " + rs.getString("id") + " (seq " + r.seq() + ") does not hash to its id;"
              + " the journal row was altered");
        }
        out.add(new StoredReceipt(signed, Optional.ofNullable(rs.getString("profile"))));
      }
    }
    return out;
  }

  // ---- ReceiptLog: the anchoring side

  @Override
  public long lastSeq(Address signer) {
    flushLog();
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), -1) FROM receipts WHERE signer = ?")) {
        ps.setString(1, key(signer));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public List<Entry> range(Address signer, long fromSeq, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    flushLog();
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT seq, id FROM receipts WHERE signer = ? AND seq >= ? ORDER BY seq LIMIT ?")) {
        ps.setString(1, key(signer));
        ps.setLong(2, fromSeq);
        ps.setInt(3, limit);
        List<Entry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Entry(signer, rs.getLong(1), Bytes32.parse(rs.getString(2))));
          }
        }
        return out;
      }
    });
  }

  @Override
  public Optional<Entry> find(String id) {
    String wanted = Objects.requireNonNull(id, "id").toLowerCase(Locale.ROOT);
    flushLog();
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT signer, seq, id FROM receipts WHERE id = ?")) {
        ps.setString(1, wanted);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next()
              ? Optional.of(new Entry(Address.parse(rs.getString(1)), rs.getLong(2), Bytes32.parse(rs.getString(3))))
              : Optional.empty();
        }
      }
    });
  }

  @Override
  public long lastBatchedSeq(Address signer) {
    return db.read(c -> lastBatched(c, signer));
  }

  private static long lastBatched(Connection c, Address signer) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT COALESCE(MAX(last_seq), -1) FROM receipt_batches WHERE signer = ?")) {
      ps.setString(1, key(signer));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  public List<Batch> openBatches(Address signer) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + BATCH_COLUMNS
          + " FROM receipt_batches WHERE signer = ? AND status <> 'COMMITTED' ORDER BY first_seq")) {
        ps.setString(1, key(signer));
        return batches(ps);
      }
    });
  }

  @Override
  public Batch prepareBatch(Address signer, long firstSeq, long lastSeq, Bytes32 root, long nowMillis) {
    Objects.requireNonNull(root, "root");
    if (firstSeq < 0 || lastSeq < firstSeq) {
      throw new IllegalArgumentException("a batch covers seq firstSeq..lastSeq with 0 <= firstSeq <= lastSeq, got "
          + firstSeq + ".." + lastSeq);
    }
    flushLog();     // every receipt committed so far, which the batch may cover, is in receipts
    return db.write(c -> {
      // The stream row orders batch preparation against concurrent preparers (another replica) as well.
      lockStream(c, signer);
      long batched = lastBatched(c, signer);
      if (firstSeq != batched + 1) {
        throw new IllegalStateException("a batch of " + signer + " must start at seq " + (batched + 1)
            + " (right after the last batched one), not " + firstSeq);
      }
      long stored;
      try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), -1) FROM receipts WHERE signer = ?")) {
        ps.setString(1, key(signer));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          stored = rs.getLong(1);
        }
      }
      if (lastSeq > stored) {
        throw new IllegalStateException("a batch of " + signer + " cannot reach seq " + lastSeq + ": the journal holds"
            + " receipts up to seq " + stored);
      }
      long id;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO receipt_batches (signer, first_seq, last_seq, root,"
          + " status, commitment_index, block_number, attempts, prepared_at_ms, updated_at_ms)"
          + " VALUES (?, ?, ?, ?, 'PREPARED', -1, -1, 0, ?, ?) RETURNING id")) {
        ps.setString(1, key(signer));
        ps.setLong(2, firstSeq);
        ps.setLong(3, lastSeq);
        ps.setString(4, root.toString());
        ps.setLong(5, nowMillis);
        ps.setLong(6, nowMillis);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      return new Batch(id, signer, firstSeq, lastSeq, root, BatchStatus.PREPARED, null, -1, -1, 0, null, nowMillis);
    });
  }

  private static void lockStream(Connection c, Address signer) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO receipt_streams (signer, next_seq) VALUES (?, 0)"
        + " ON CONFLICT (signer) DO UPDATE SET next_seq = receipt_streams.next_seq")) {
      ps.setString(1, key(signer));
      ps.executeUpdate();
    }
  }

  @Override
  public void markSubmitted(long batchId, String transaction) {
    Objects.requireNonNull(transaction, "transaction");
    update(batchId, "status = 'SUBMITTED', tx_hash = ?", "status <> 'COMMITTED'", "submitted",
        ps -> ps.setString(1, transaction));
  }

  @Override
  public void markCommitted(long batchId, long commitmentIndex, long blockNumber) {
    update(batchId, "status = 'COMMITTED', commitment_index = ?, block_number = ?, last_error = NULL", "1 = 1",
        "committed", ps -> {
          ps.setLong(1, commitmentIndex);
          ps.setLong(2, blockNumber);
        });
  }

  @Override
  public void markFailed(long batchId, String error) {
    update(batchId, "status = 'PREPARED', attempts = attempts + 1, last_error = ?", "status <> 'COMMITTED'", "failed",
        ps -> ps.setString(1, Objects.requireNonNullElse(error, "unknown")));
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private void update(long batchId, String set, String guard, String what, Binder binder) {
    int changed = db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE receipt_batches SET " + set
          + ", updated_at_ms = " + clock.millis() + " WHERE id = " + batchId + " AND " + guard)) {
        binder.bind(ps);
        return ps.executeUpdate();
      }
    });
    if (changed != 1) {
      throw new IllegalStateException("receipt batch " + batchId + " cannot be marked " + what
          + ": it does not exist or is already committed");
    }
  }

  @Override
  public Optional<Batch> batchFor(Address signer, long seq) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + BATCH_COLUMNS
          + " FROM receipt_batches WHERE signer = ? AND first_seq <= ? AND last_seq >= ?")) {
        ps.setString(1, key(signer));
        ps.setLong(2, seq);
        ps.setLong(3, seq);
        List<Batch> found = batches(ps);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
      }
    });
  }

  private static List<Batch> batches(PreparedStatement ps) throws SQLException {
    List<Batch> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Batch(rs.getLong("id"), Address.parse(rs.getString("signer")), rs.getLong("first_seq"),
            rs.getLong("last_seq"), Bytes32.parse(rs.getString("root")), BatchStatus.valueOf(rs.getString("status")),
            rs.getString("tx_hash"), rs.getLong("commitment_index"), rs.getLong("block_number"),
            rs.getInt("attempts"), rs.getString("last_error"), rs.getLong("prepared_at_ms")));
      }
    }
    return out;
  }
}
