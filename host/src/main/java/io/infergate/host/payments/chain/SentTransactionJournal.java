package io.infergate.host.payments.chain;

import io.infergate.host.payments.ledger.LedgerDatabase;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link TransactionSender} records what it broadcast so that it is still known after a crash: table
 * {@code sent_transactions} of the ledger's database (ledger schema version 4), one row per transaction hash of a
 * key's nonce not known mined (the original and its replacements), written durably before the hash is broadcast.
 * A sender starts from its key's rows; a deposit, refund or settle that a previous run left stuck at the head of the
 * key's nonce queue is then replaced by the next claim round instead of blocking every later transaction, claims
 * included.
 *
 * <p>Rows are only added (or their send time moved), never rewritten with another process's view, so replicas
 * sharing one PostgreSQL database and one key see each other's transactions and replacements: the claims leader
 * can replace a deposit another replica left stuck, and that replica's wait sees the replacement. Rows of mined
 * nonces are deleted when a sender learns its key's mined count. New nonces are taken under {@link #exclusively},
 * so two replicas never sign two transactions with one nonce.
 */
public final class SentTransactionJournal {
  /** A sender that keeps its memory in this process only. */
  static final SentTransactionJournal NONE = new SentTransactionJournal(null);

  private static final String SELECT = "SELECT nonce, tx_hash, kind, description, sent_at_ms FROM sent_transactions"
      + " WHERE sender = ?";
  private static final String ORDER = " ORDER BY nonce, sent_at_ms, tx_hash";

  private final LedgerDatabase database;

  private SentTransactionJournal(LedgerDatabase database) {
    this.database = database;
  }

  /** The journal in the database of an open (hence migrated) ledger. */
  public static SentTransactionJournal in(LedgerDatabase database) {
    return new SentTransactionJournal(Objects.requireNonNull(database, "database"));
  }

  private static String key(String sender) {
    return sender.toLowerCase(Locale.ROOT);
  }

  /**
   * Whether other processes may write this journal (a PostgreSQL ledger shared by replicas). Otherwise (SQLite, owned
   * by this process, or no database) everything in it was written by this process's own memory, and reading it back
   * after the start would find nothing new.
   */
  boolean shared() {
    return database != null && database.dialect() == LedgerDatabase.Dialect.POSTGRESQL;
  }

  /**
   * Runs {@code work} (read the key's next nonce, sign, record, broadcast) while no other process sharing this
   * database sends with {@code sender}'s key: replicas relaying deposits and the claims leader would otherwise read
   * the same pending count and sign two transactions with one nonce ({@link LedgerDatabase#exclusively}).
   */
  <T> T exclusively(String sender, java.util.function.Supplier<T> work) {
    return database == null ? work.get() : database.exclusively("sender/" + key(sender), work);
  }

  /** What is recorded for {@code sender}, lowest nonce first. */
  List<SentTransactions.AtNonce> load(String sender) {
    if (database == null) {
      return List.of();
    }
    return database.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(SELECT + ORDER)) {
        ps.setString(1, key(sender));
        return atNonces(ps);
      }
    });
  }

  /** What is recorded for {@code sender}'s {@code nonce}. */
  Optional<SentTransactions.AtNonce> load(String sender, BigInteger nonce) {
    if (database == null) {
      return Optional.empty();
    }
    return database.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(SELECT + " AND nonce = ?" + ORDER)) {
        ps.setString(1, key(sender));
        ps.setLong(2, nonce.longValueExact());
        return atNonces(ps).stream().findFirst();
      }
    });
  }

  /**
   * The rows of each nonce as one entry, replayed in the order they were sent as the sender saw them
   * ({@link SentTransactions.AtNonce#broadcast}): every hash, the first known purpose, the newest send time.
   */
  private static List<SentTransactions.AtNonce> atNonces(PreparedStatement ps) throws SQLException {
    List<SentTransactions.AtNonce> found = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        BigInteger nonce = BigInteger.valueOf(rs.getLong(1));
        TransactionSender.Purpose purpose = new TransactionSender.Purpose(kind(rs.getString(3)), rs.getString(4));
        Instant sentAt = Instant.ofEpochMilli(rs.getLong(5));
        SentTransactions.AtNonce last = found.isEmpty() ? null : found.getLast();
        if (last == null || !last.nonce().equals(nonce)) {
          found.add(SentTransactions.AtNonce.first(nonce, purpose, rs.getString(2), sentAt));
        } else {
          found.set(found.size() - 1, last.broadcast(purpose, rs.getString(2), sentAt));   // ordered by send time
        }
      }
    }
    return found;
  }

  /** A kind this version does not know (written by a newer one) is kept as one never replaced by nonce. */
  private static TransactionSender.Kind kind(String name) {
    try {
      return TransactionSender.Kind.valueOf(name);
    } catch (IllegalArgumentException e) {
      return TransactionSender.Kind.OTHER;
    }
  }

  /** Records, durably, that {@code hash} is broadcast with {@code sender}'s {@code nonce} at {@code at}. */
  void sent(String sender, BigInteger nonce, TransactionSender.Purpose purpose, String hash, Instant at) {
    if (database == null) {
      return;
    }
    database.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO sent_transactions (sender, nonce, tx_hash, kind,"
          + " description, sent_at_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sender, nonce, tx_hash) DO UPDATE SET"
          + " sent_at_ms = excluded.sent_at_ms")) {
        ps.setString(1, key(sender));
        ps.setLong(2, nonce.longValueExact());
        ps.setString(3, hash.toLowerCase(Locale.ROOT));
        ps.setString(4, purpose.kind().name());
        ps.setString(5, purpose.description());
        ps.setLong(6, at.toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }

  /** Moves the send time of {@code hash} (the nonce's newest) to {@code from}: its wait starts again. */
  void waitAgain(String sender, BigInteger nonce, String hash, Instant from) {
    if (database == null) {
      return;
    }
    database.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE sent_transactions SET sent_at_ms = ? WHERE sender = ?"
          + " AND nonce = ? AND tx_hash = ?")) {
        ps.setLong(1, from.toEpochMilli());
        ps.setString(2, key(sender));
        ps.setLong(3, nonce.longValueExact());
        ps.setString(4, hash.toLowerCase(Locale.ROOT));
        return ps.executeUpdate();
      }
    });
  }

  /** Forgets {@code sender}'s nonces below {@code minedCount}: they are mined. */
  void forgetBelow(String sender, BigInteger minedCount) {
    delete("DELETE FROM sent_transactions WHERE sender = ? AND nonce < ?", sender, minedCount);
  }

  /** Forgets {@code sender}'s {@code nonce}: a memory at its bound drops its lowest nonce. */
  void forget(String sender, BigInteger nonce) {
    delete("DELETE FROM sent_transactions WHERE sender = ? AND nonce = ?", sender, nonce);
  }

  private void delete(String sql, String sender, BigInteger nonce) {
    if (database == null) {
      return;
    }
    database.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, key(sender));
        ps.setLong(2, nonce.longValueExact());
        return ps.executeUpdate();
      }
    });
  }
}
