package io.infergate.client.store;

import io.infergate.client.ClientException;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.ReceiptFormatException;
import io.infergate.x402.receipt.SignedReceipt;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The client's durable log of paid calls and their inference receipts, in the same SQLite file as the
 * {@link ChannelStore} (table {@code paid_calls}). Get it with {@link ChannelStore#receipts()}.
 *
 * <p>Every charged call is recorded, with or without a receipt, so that an audit can find charges the node
 * acknowledged without a receipt. The receipt is kept as the JSON the node served (its signed members and any
 * extra ones), so receipts of a later format are kept whole; amounts are decimal text. Forward compatibility:
 * columns are only ever added (a newer client adds what an older file lacks when it opens it), never renamed or
 * removed, and readers ignore columns they do not know.
 *
 * <pre>{@code
 * try (ChannelStore store = ChannelStore.open(Path.of("client.db"))) {
 *   Optional<StoredCall> call = store.receipts().byReceiptId("0x...");
 * }
 * }</pre>
 */
public final class ReceiptLog {
  static final String TABLE = "CREATE TABLE IF NOT EXISTS paid_calls (call_id INTEGER PRIMARY KEY AUTOINCREMENT,"
      + " channel_id TEXT NOT NULL, url TEXT NOT NULL, path TEXT NOT NULL, service TEXT NOT NULL,"
      + " inference_header_length INTEGER NOT NULL, request_body BLOB NOT NULL, request_hash TEXT NOT NULL,"
      + " response_hash TEXT NOT NULL, max_claimable TEXT NOT NULL, charged_amount TEXT NOT NULL,"
      + " charged_cumulative TEXT NOT NULL, receipt_id TEXT, receipt_json TEXT, receipt_problem TEXT,"
      + " recorded_at INTEGER NOT NULL)";
  private static final String[][] LATER_COLUMNS = {}; // {name, definition} of columns added after the first schema
  private static final String COLUMNS = "call_id, channel_id, url, path, service, inference_header_length,"
      + " request_body, request_hash, response_hash, max_claimable, charged_amount, charged_cumulative, receipt_json,"
      + " receipt_problem, recorded_at";

  private final Connection db;
  private final Object lock;
  private final Path file;

  ReceiptLog(Connection db, Object lock, Path file) {
    this.db = db;
    this.lock = lock;
    this.file = file;
  }

  /** Creates the table and its indexes when missing and adds columns a file written by an older client lacks. */
  static void createSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(TABLE);
      s.execute("CREATE INDEX IF NOT EXISTS paid_calls_channel ON paid_calls (channel_id, call_id)");
      s.execute("CREATE INDEX IF NOT EXISTS paid_calls_receipt ON paid_calls (receipt_id)");
      Set<String> have = new HashSet<>();
      try (ResultSet rs = s.executeQuery("PRAGMA table_info(paid_calls)")) {
        while (rs.next()) {
          have.add(rs.getString("name"));
        }
      }
      for (String[] col : LATER_COLUMNS) {
        if (!have.contains(col[0])) {
          s.execute("ALTER TABLE paid_calls ADD COLUMN " + col[0] + " " + col[1]);
        }
      }
    }
  }

  /**
   * Records a charged call (durable when this returns). {@code callId} and {@code recordedAt} of {@code call}
   * are ignored: the log assigns them.
   *
   * @return the call as stored
   */
  public StoredCall record(StoredCall call) {
    synchronized (lock) {
      long now = System.currentTimeMillis();
      SignedReceipt r = call.receipt();
      try (PreparedStatement ps = db.prepareStatement("INSERT INTO paid_calls (channel_id, url, path, service,"
          + " inference_header_length, request_body, request_hash, response_hash, max_claimable, charged_amount,"
          + " charged_cumulative, receipt_id, receipt_json, receipt_problem, recorded_at)"
          + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, call.channelId().toString());
        ps.setString(2, call.url());
        ps.setString(3, call.path());
        ps.setString(4, call.service());
        ps.setLong(5, call.inferenceHeaderLength());
        ps.setBytes(6, call.requestBody());
        ps.setString(7, call.requestHash().toString());
        ps.setString(8, call.responseHash().toString());
        ps.setString(9, call.maxClaimableAmount().toString());
        ps.setString(10, call.chargedAmount().toString());
        ps.setString(11, call.chargedCumulativeAmount().toString());
        ps.setString(12, r == null ? null : r.id());
        ps.setString(13, r == null ? null : r.toJson().toString());
        ps.setString(14, call.receiptProblem());
        ps.setLong(15, now);
        ps.executeUpdate();
        long id;
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          id = keys.getLong(1);
        }
        return new StoredCall(id, call.channelId(), call.url(), call.path(), call.service(),
            call.inferenceHeaderLength(), call.requestBody(), call.requestHash(), call.responseHash(),
            call.maxClaimableAmount(), call.chargedAmount(), call.chargedCumulativeAmount(), r, call.receiptProblem(),
            now);
      } catch (SQLException e) {
        throw failure(e);
      }
    }
  }

  /** The call whose receipt has this id ({@code 0x}-hex digest, any case). */
  public Optional<StoredCall> byReceiptId(String receiptId) {
    List<StoredCall> r = query("WHERE lower(receipt_id) = lower(?) ORDER BY call_id LIMIT 1", receiptId);
    return r.stream().findFirst();
  }

  /** The calls paid by {@code channelId}, in call order. */
  public List<StoredCall> forChannel(Bytes32 channelId) {
    return query("WHERE channel_id = ? ORDER BY call_id", channelId.toString());
  }

  /** Every recorded call, in call order. */
  public List<StoredCall> all() {
    return query("ORDER BY call_id");
  }

  /** The channels that paid recorded calls, in order of their first call. */
  public List<Bytes32> channels() {
    List<Bytes32> out = new ArrayList<>();
    for (StoredCall c : all()) {
      if (!out.contains(c.channelId())) {
        out.add(c.channelId());
      }
    }
    return out;
  }

  private List<StoredCall> query(String where, Object... args) {
    synchronized (lock) {
      try (PreparedStatement ps = db.prepareStatement("SELECT " + COLUMNS + " FROM paid_calls " + where)) {
        for (int i = 0; i < args.length; i++) {
          ps.setObject(i + 1, args[i]);
        }
        List<StoredCall> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(row(rs));
          }
        }
        return out;
      } catch (SQLException e) {
        throw failure(e);
      }
    }
  }

  private StoredCall row(ResultSet rs) throws SQLException {
    String json = rs.getString(13);
    String problem = rs.getString(14);
    SignedReceipt receipt = null;
    if (json != null) {
      try {
        receipt = SignedReceipt.fromJson(json.getBytes(StandardCharsets.UTF_8));
      } catch (ReceiptFormatException e) {
        problem = (problem == null ? "" : problem + "; ") + "stored receipt no longer parses: " + e.getMessage();
      }
    }
    return new StoredCall(rs.getLong(1), Bytes32.parse(rs.getString(2)), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getLong(6), rs.getBytes(7), Bytes32.parse(rs.getString(8)), Bytes32.parse(rs.getString(9)),
        new BigInteger(rs.getString(10)), new BigInteger(rs.getString(11)), new BigInteger(rs.getString(12)), receipt,
        problem, rs.getLong(15));
  }

  private ClientException failure(SQLException e) {
    return new ClientException("the client's receipt log in " + file + " failed: " + e.getMessage(), e);
  }
}
