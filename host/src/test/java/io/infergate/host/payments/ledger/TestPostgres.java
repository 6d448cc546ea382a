package io.infergate.host.payments.ledger;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL for the tests: the one named by {@code INFERGATE_TEST_POSTGRES_URL} (what
 * {@code .ci/postgres.sh} exports), or else a private server started here with initdb/pg_ctl from Debian's
 * PostgreSQL 15 in a temp dir (as the {@code postgres} user when running as root) and stopped at exit.
 * Each test gets its own schema, so tests never see each other's rows.
 */
final class TestPostgres {
  static final String URL_ENV = "INFERGATE_TEST_POSTGRES_URL";
  private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  private static String baseUrl;

  private TestPostgres() {}

  /** A JDBC URL whose default schema is fresh and empty. */
  static synchronized String freshSchemaUrl() {
    if (baseUrl == null) {
      String env = System.getenv(URL_ENV);
      baseUrl = env != null && !env.isBlank() ? env : startPrivateServer();
    }
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new AssertionError("cannot create a schema on PostgreSQL at " + baseUrl + ": " + e.getMessage(), e);
    }
    return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static String startPrivateServer() {
    if (!Files.isExecutable(BIN.resolve("pg_ctl"))) {
      throw new AssertionError("PostgreSQL 15 is needed for the ledger tests and was not found in " + BIN
          + " and " + URL_ENV + " is not set: run `eval \"$(.ci/postgres.sh)\"` (installs and starts it) first");
    }
    try {
      boolean root = "root".equals(System.getProperty("user.name"));
      Path data = Files.createTempDirectory("infergate-pg-test");
      if (root) {
        run(List.of("chown", "postgres", data.toString()), false);
      }
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      run(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust",
          "-E", "UTF8", "--locale=C"), root);
      run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", data.resolve("server.log").toString(),
          "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
              + data + " -c max_connections=200", "start"), root);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"), root);
          run(List.of("rm", "-rf", data.toString()), false);
        } catch (IOException e) {
          System.err.println("could not stop the test PostgreSQL in " + data + ": " + e.getMessage());
        }
      }));
      return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    } catch (IOException e) {
      throw new AssertionError("cannot start a private PostgreSQL for the tests (" + e.getMessage()
          + "); run `eval \"$(.ci/postgres.sh)\"` and retry", e);
    }
  }

  private static void run(List<String> command, boolean asPostgres) throws IOException {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", full) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
