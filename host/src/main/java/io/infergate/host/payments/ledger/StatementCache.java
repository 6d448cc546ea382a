package io.infergate.host.payments.ledger;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the SQLite ledger's prepared statements for the life of its one connection. sqlite-jdbc prepares
 * (parses and plans) a statement anew on every {@code prepareStatement}, which on the paid path cost more than
 * the statements' execution (the channel SELECT has 25 columns). {@link #connection()} is the connection the
 * ledger's units of work see: {@code prepareStatement(String)} returns the cached statement, whose
 * {@code close()} only clears its parameters, so code written for plain JDBC (try-with-resources) runs
 * unchanged. Everything else goes to the real connection.
 *
 * <p>Not thread-safe: the SQLite ledger uses its connection under one lock, and so does this cache.
 */
final class StatementCache implements AutoCloseable {
  /** More distinct statements than the ledger and the receipt journal have; a runaway caller cannot grow it. */
  private static final int LIMIT = 256;

  private final Connection real;
  private final Connection view;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final List<PreparedStatement> prepared = new ArrayList<>();

  StatementCache(Connection real) {
    this.real = real;
    this.view = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, this::onConnection);
  }

  /** The connection to hand to units of work. */
  Connection connection() {
    return view;
  }

  private Object onConnection(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("prepareStatement") && args != null && args.length == 1) {
      return cached((String) args[0]);
    }
    return invoke(real, method, args);
  }

  private PreparedStatement cached(String sql) throws SQLException {
    PreparedStatement kept = statements.get(sql);
    if (kept != null) {
      return kept;
    }
    PreparedStatement prepared = real.prepareStatement(sql);
    if (statements.size() >= LIMIT) {
      return prepared;     // plain, closed by its caller
    }
    PreparedStatement reusable = (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> switch (method.getName()) {
          case "close" -> {
            prepared.clearParameters();
            yield null;
          }
          case "isClosed" -> prepared.isClosed();
          default -> invoke(prepared, method, args);
        });
    statements.put(sql, reusable);
    this.prepared.add(prepared);
    return reusable;
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** Closes the kept statements (before the connection). */
  @Override
  public void close() throws SQLException {
    SQLException first = null;
    for (PreparedStatement ps : prepared) {
      try {
        ps.close();
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    statements.clear();
    prepared.clear();
    if (first != null) {
      throw first;
    }
  }
}
