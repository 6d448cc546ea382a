package io.infergate.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load generator's HTTP client against a scripted server: framing, keep-alive, chunked, Connection: close. */
class HttpConnectionTest {
  private static final byte[] BODY = "{\"texts\":[\"hi\"]}".getBytes(StandardCharsets.UTF_8);

  private final ServerSocket server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Integer> connections = new CopyOnWriteArrayList<>();
  /** The i-th request, over all connections, gets answers[i]; an answer with "Connection: close" ends its connection. */
  private volatile List<String> answers = List.of();

  HttpConnectionTest() throws IOException {
    server = new ServerSocket(0);
    Thread.ofPlatform().daemon().start(this::serve);
  }

  private void serve() {
    int served = 0;
    try {
      while (true) {
        try (Socket s = server.accept()) {
          connections.add(served);
          InputStream in = s.getInputStream();
          while (served < answers.size()) {
            String head = readHead(in);
            if (head == null) {
              break;
            }
            int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
            requests.add(head + new String(in.readNBytes(length), StandardCharsets.UTF_8));
            String answer = answers.get(served++);
            s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
            if (answer.contains("Connection: close")) {
              break;
            }
          }
        }
      }
    } catch (IOException closed) {
      // the test is over
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      b.write(c);
      if (b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private HttpConnection connection() {
    return new HttpConnection(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/services/x"), BODY);
  }

  @Test
  void keepsTheConnectionAliveAndReadsTheX402Headers() throws IOException {
    answers = List.of(
        "HTTP/1.1 402 Payment Required\r\npayment-required: abc=\r\nContent-Length: 2\r\n\r\n{}",
        "HTTP/1.1 200 OK\r\nPAYMENT-RESPONSE: eyJ9\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\nhello");
    try (HttpConnection c = connection()) {
      c.send(null);
      c.read();
      assertEquals(402, c.status);
      assertEquals("abc=", c.paymentRequired);
      assertEquals("{}", c.body());
      assertNull(c.paymentResponse());
      c.send("c2ln".getBytes(StandardCharsets.US_ASCII));
      c.read();
      assertEquals(200, c.status);
      assertEquals("eyJ9", c.paymentResponse());
      assertEquals(4, c.paymentResponseLength());
      assertNull(c.paymentRequired);
      assertEquals("hello", c.body());
    }
    assertEquals(List.of(0), connections);
    assertEquals("POST /v1/services/x HTTP/1.1\r\nHost: 127.0.0.1:" + server.getLocalPort()
        + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY.length + "\r\n\r\n{\"texts\":[\"hi\"]}",
        requests.get(0));
    assertTrue(requests.get(1).contains("\r\nPAYMENT-SIGNATURE: c2ln\r\n\r\n{\"texts\""), requests.get(1));
  }

  @Test
  void aServerThatNeverAnswersFailsTheReadOnceTheTimeoutIsOver() throws IOException {
    try (ServerSocket silent = new ServerSocket(0);   // accepts (the backlog does), never answers
        HttpConnection c = new HttpConnection(
            URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/v1/services/x"), BODY, 1_000_000_000L)) {
      c.send(null);
      long t0 = System.nanoTime();
      IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, c::read);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(e instanceof java.net.SocketTimeoutException, e.toString());
      assertTrue(ms >= 1000 && ms < 5000, "failed after " + ms + " ms");
    }
  }

  @Test
  void readsAChunkedBody() throws IOException {
    answers = List.of(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n5\r\nhello\r\n7;x=y\r\n, world\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    try (HttpConnection c = connection()) {
      c.send(null);
      c.read();
      assertEquals("hello, world", c.body());
      c.send(null);
      c.read();
      assertEquals("ok", c.body());
    }
    assertEquals(List.of(0), connections);
  }

  @Test
  void reconnectsAfterConnectionClose() throws IOException {
    answers = List.of(
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\na",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb");
    List<String> bodies = new ArrayList<>();
    try (HttpConnection c = connection()) {
      for (int i = 0; i < 2; i++) {
        c.send(null);
        c.read();
        bodies.add(c.body());
      }
    }
    assertEquals(List.of("a", "b"), bodies);
    assertEquals(List.of(0, 1), connections);
  }
}
