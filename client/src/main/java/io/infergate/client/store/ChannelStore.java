package io.infergate.client.store;

import io.infergate.client.ClientException;
import io.infergate.client.channel.ChannelRecord;
import io.infergate.client.channel.ChannelTerms;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.wire.ChannelState;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client's own durable record of its channels, in one SQLite file (default {@code ~/.infergate/client.db}).
 *
 * <p>Durability rule: {@link #recordSigned} commits with {@code synchronous=FULL} <em>before</em> the voucher is
 * sent, and refuses a ceiling below the one already recorded, so a crash at any point never makes the client
 * sign below what it already signed. Amounts are stored as decimal text (uint128 does not fit a SQLite integer).
 * Keys are never stored; {@code key_id} is the address of the key that signs the channel's vouchers. Paid calls
 * and their inference receipts go to the {@link ReceiptLog} ({@link #receipts()}) in the same file.
 *
 * <pre>{@code
 * try (ChannelStore store = ChannelStore.open(Path.of("client.db"))) {
 *   store.list().forEach(ch -> System.out.println(ch.channelId() + " charged " + ch.charged()));
 * }
 * }</pre>
 */
public final class ChannelStore implements AutoCloseable {
  private static final String COLUMNS = "channel_id, chain_id, contract, payer, payer_authorizer, receiver,"
      + " receiver_authorizer, token, withdraw_delay, salt, salt_index, key_id, signed_max, signature, charged,"
      + " balance, total_claimed, withdraw_requested_at, refund_nonce, quarantine_reason";

  private final Connection db;
  private final Path file;
  private final ReceiptLog receipts;

  private ChannelStore(Connection db, Path file) {
    this.db = db;
    this.file = file;
    this.receipts = new ReceiptLog(db, this, file);
  }

  /** The default location, {@code ~/.infergate/client.db}. */
  public static Path defaultFile() {
    return Path.of(System.getProperty("user.home"), ".infergate", "client.db");
  }

  /** Opens (creating when missing) the store in {@code file}. */
  public static ChannelStore open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL"); // every commit reaches the disk: a voucher is durable before it is sent
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("CREATE TABLE IF NOT EXISTS channels (channel_id TEXT PRIMARY KEY, chain_id INTEGER NOT NULL,"
            + " contract TEXT NOT NULL, payer TEXT NOT NULL, payer_authorizer TEXT NOT NULL, receiver TEXT NOT NULL,"
            + " receiver_authorizer TEXT NOT NULL, token TEXT NOT NULL, withdraw_delay INTEGER NOT NULL,"
            + " salt TEXT NOT NULL, salt_index INTEGER NOT NULL, key_id TEXT NOT NULL, signed_max TEXT NOT NULL,"
            + " signature TEXT, charged TEXT NOT NULL, balance TEXT, total_claimed TEXT,"
            + " withdraw_requested_at INTEGER, refund_nonce TEXT, quarantine_reason TEXT)");
      }
      ReceiptLog.createSchema(c);
      return new ChannelStore(c, file);
    } catch (SQLException | IOException e) {
      throw new ClientException("cannot open the client's channel store " + file + ": " + e.getMessage()
          + "; check the path (--store) and its permissions", e);
    }
  }

  public Path file() {
    return file;
  }

  /** The log of paid calls and their inference receipts, kept in the same file. */
  public ReceiptLog receipts() {
    return receipts;
  }

  /** Records a new channel (nothing signed, nothing charged); returns it, or the existing one with that id. */
  public synchronized ChannelRecord create(Bytes32 channelId, ChannelConfig config, long chainId, Address contract,
      int index) {
    Optional<ChannelRecord> existing = find(channelId);
    if (existing.isPresent()) {
      return existing.get();
    }
    update("INSERT INTO channels (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'0',NULL,'0',NULL,NULL,NULL,NULL,NULL)",
        channelId.toString(), chainId, contract.toString(), config.payer().toString(),
        config.payerAuthorizer().toString(), config.receiver().toString(), config.receiverAuthorizer().toString(),
        config.token().toString(), config.withdrawDelay(), config.salt().toString(), index,
        config.voucherSigner().toString());
    return find(channelId).orElseThrow();
  }

  /** The channel with this id. */
  public synchronized Optional<ChannelRecord> find(Bytes32 channelId) {
    List<ChannelRecord> r = query("WHERE channel_id = ?", channelId.toString());
    return r.stream().findFirst();
  }

  /** Every channel, oldest first. */
  public synchronized List<ChannelRecord> list() {
    return query("ORDER BY rowid");
  }

  /** The channels on these terms whose vouchers {@code keyId} signs, by salt index. */
  public synchronized List<ChannelRecord> onTerms(ChannelTerms terms, Address keyId) {
    return query("WHERE chain_id = ? AND receiver = ? AND token = ? AND receiver_authorizer = ? AND withdraw_delay = ?"
            + " AND key_id = ? ORDER BY salt_index", terms.chainId(), terms.payTo().toString(), terms.asset().toString(),
        terms.receiverAuthorizer().toString(), terms.withdrawDelay(), keyId.toString());
  }

  /**
   * Makes a signed voucher durable before it is sent.
   *
   * @throws ClientException when {@code max} is below the ceiling already signed (the caller must never sign lower)
   */
  public synchronized ChannelRecord recordSigned(Bytes32 channelId, BigInteger max, String signature) {
    ChannelRecord ch = require(channelId);
    if (max.compareTo(ch.signedMax()) < 0) {
      throw new ClientException("refusing to record a voucher of " + max + " on channel " + channelId
          + ": a voucher of " + ch.signedMax() + " is already signed; resync with 'recover'");
    }
    update("UPDATE channels SET signed_max = ?, signature = ? WHERE channel_id = ?", max.toString(), signature,
        channelId.toString());
    return require(channelId);
  }

  /** Records what the node acknowledged: the cumulative charge and the channel state it reported. */
  public synchronized ChannelRecord recordAcknowledged(Bytes32 channelId, BigInteger charged, ChannelState state) {
    update("UPDATE channels SET charged = ?, balance = ?, total_claimed = ?, withdraw_requested_at = ?, refund_nonce = ?"
            + " WHERE channel_id = ?", charged.toString(), state.balance().toString(), state.totalClaimed().toString(),
        state.withdrawRequestedAt(), state.refundNonce().toString(), channelId.toString());
    return require(channelId);
  }

  /**
   * Adopts a higher voucher the node holds and proved to be ours (after a verified corrective 402), keeping the
   * stored one when it is higher.
   */
  public synchronized ChannelRecord recordServerVoucher(Bytes32 channelId, BigInteger max, String signature) {
    ChannelRecord ch = require(channelId);
    if (max.compareTo(ch.signedMax()) > 0) {
      update("UPDATE channels SET signed_max = ?, signature = ? WHERE channel_id = ?", max.toString(), signature,
          channelId.toString());
    }
    return require(channelId);
  }

  /** Records balance and claimed total read from the chain, keeping the other state fields. */
  public synchronized ChannelRecord recordChain(Bytes32 channelId, BigInteger balance, BigInteger totalClaimed,
      long withdrawRequestedAt) {
    update("UPDATE channels SET balance = ?, total_claimed = ?, withdraw_requested_at = ?,"
            + " refund_nonce = COALESCE(refund_nonce, '0') WHERE channel_id = ?", balance.toString(),
        totalClaimed.toString(), withdrawRequestedAt, channelId.toString());
    return require(channelId);
  }

  /** Stops using a channel, recording why; it stays listed (and withdrawable) but pays nothing more. */
  public synchronized ChannelRecord quarantine(Bytes32 channelId, String reason) {
    update("UPDATE channels SET quarantine_reason = ? WHERE channel_id = ?", reason, channelId.toString());
    return require(channelId);
  }

  private ChannelRecord require(Bytes32 channelId) {
    return find(channelId).orElseThrow(() -> new ClientException("channel " + channelId + " is not in the store "
        + file + "; run 'recover' to rebuild it from the node and the chain"));
  }

  private List<ChannelRecord> query(String where, Object... args) {
    try (PreparedStatement ps = db.prepareStatement("SELECT " + COLUMNS + " FROM channels " + where)) {
      bind(ps, args);
      List<ChannelRecord> out = new ArrayList<>();
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

  private static ChannelRecord row(ResultSet rs) throws SQLException {
    Bytes32 id = Bytes32.parse(rs.getString(1));
    ChannelConfig config = new ChannelConfig(Address.parse(rs.getString(4)), Address.parse(rs.getString(5)),
        Address.parse(rs.getString(6)), Address.parse(rs.getString(7)), Address.parse(rs.getString(8)), rs.getLong(9),
        Bytes32.parse(rs.getString(10)));
    ChannelState state = rs.getString(16) == null ? null : new ChannelState(id, new BigInteger(rs.getString(16)),
        new BigInteger(rs.getString(17)), rs.getLong(18), new BigInteger(rs.getString(19)),
        new BigInteger(rs.getString(15)));
    return new ChannelRecord(id, config, rs.getLong(2), Address.parse(rs.getString(3)), rs.getInt(11),
        Address.parse(rs.getString(12)), new BigInteger(rs.getString(13)), rs.getString(14),
        new BigInteger(rs.getString(15)), state, rs.getString(20));
  }

  private void update(String sql, Object... args) {
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      bind(ps, args);
      ps.executeUpdate(); // autocommit: durable (synchronous=FULL) when this returns
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }

  private ClientException failure(SQLException e) {
    return new ClientException("the client's channel store " + file + " failed: " + e.getMessage(), e);
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw failure(e);
    }
  }
}
