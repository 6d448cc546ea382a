package io.infergate.bench.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A lean, blocking HTTP/1.1 keep-alive client for one fixed POST: one socket (TCP_NODELAY), one thread. The
 * load generator must cost the machine as little CPU as possible, since it shares the cores with the node it
 * measures; {@link java.net.http.HttpClient} burned about a core at two clients. Each request goes out as one
 * write from a reused buffer (the request line, Host, Content-Type and Content-Length are laid once); of the
 * answer only the status, Content-Length, Transfer-Encoding (chunked is read too), Connection and the two
 * x402 headers are parsed, and the body is read into a reused buffer. {@code PAYMENT-RESPONSE} (4–8 KB with a
 * receipt) is kept as raw bytes ({@link #paymentResponseBytes}), so a reader can take what it needs from them
 * without a String copy. {@code Connection: close} (or an HTTP/1.0 answer) closes the socket and the next
 * request reconnects.
 *
 * <p>The socket has no read timeout: a timed read makes the JDK switch the socket to non-blocking mode, and every
 * read then costs read + poll + read instead of one blocking read. A shared watchdog thread closes a connection
 * whose answer has not come within {@link #ANSWER_TIMEOUT_NS} (by default) instead, so a wedged server still fails the run.
 *
 * <p>{@link #send} and {@link #read} are split so the caller can work (sign the next voucher) while the
 * server computes. Not thread-safe: one connection per virtual client.
 */
final class HttpConnection implements AutoCloseable {
  private static final byte[] PAYMENT_SIGNATURE = "PAYMENT-SIGNATURE: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONNECTION = "connection".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PAYMENT_RESPONSE = "payment-response".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PAYMENT_REQUIRED = "payment-required".getBytes(StandardCharsets.US_ASCII);

  /** How long an answer may take before the watchdog closes the connection (the former socket timeout). */
  static final long ANSWER_TIMEOUT_NS = 120_000_000_000L;
  private static final java.util.Set<HttpConnection> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Thread.ofPlatform().daemon().name("http-watchdog").start(HttpConnection::watch);
  }

  private final InetSocketAddress address;
  private final long answerTimeoutNs;
  private final byte[] body;
  private final int headLength;   // request line, Host, Content-Type, Content-Length: the same on every call
  private byte[] out;
  private int outLength;
  private Socket socket;
  private InputStream in;
  private OutputStream os;
  private boolean reused;         // the socket has carried a whole exchange already

  private final byte[] rbuf = new byte[16 * 1024];
  private int rpos;
  private int rlim;
  private byte[] line = new byte[256];
  private int lineLength;
  private byte[] responseBody = new byte[4096];

  /** The last answer. */
  int status;
  int bodyLength;
  String paymentRequired;
  private byte[] paymentResponse = new byte[8 * 1024];
  private int paymentResponseLength = -1;   // -1: the answer had no PAYMENT-RESPONSE
  private boolean close;
  private volatile long waitingSince;       // System.nanoTime() when read() started waiting, 0 when not waiting
  private volatile boolean timedOut;

  HttpConnection(URI uri, byte[] body) {
    this(uri, body, ANSWER_TIMEOUT_NS);
  }

  /** With another answer timeout (tests). */
  HttpConnection(URI uri, byte[] body, long answerTimeoutNs) {
    this.answerTimeoutNs = answerTimeoutNs;
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    this.address = new InetSocketAddress(uri.getHost(), port);
    this.body = body;
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    headLength = head.length;
    out = Arrays.copyOf(head, head.length + 2 + body.length + 1024);
  }

  /**
   * Writes the request, with a {@code PAYMENT-SIGNATURE} header when {@code paymentHeader} (its value: base64,
   * ASCII) is not null.
   */
  void send(byte[] paymentHeader) throws IOException {
    int n = headLength + (paymentHeader == null ? 0 : PAYMENT_SIGNATURE.length + paymentHeader.length + 2)
        + 2 + body.length;
    if (n > out.length) {
      out = Arrays.copyOf(out, n + 1024);
    }
    int p = headLength;
    if (paymentHeader != null) {
      System.arraycopy(PAYMENT_SIGNATURE, 0, out, p, PAYMENT_SIGNATURE.length);
      p += PAYMENT_SIGNATURE.length;
      System.arraycopy(paymentHeader, 0, out, p, paymentHeader.length);
      p += paymentHeader.length;
      out[p++] = '\r';
      out[p++] = '\n';
    }
    out[p++] = '\r';
    out[p++] = '\n';
    System.arraycopy(body, 0, out, p, body.length);
    outLength = n;
    if (socket == null) {
      connect();
    }
    os.write(out, 0, outLength);
  }

  /**
   * Reads the answer to the request just sent, body included. A kept-alive socket the server closed before
   * answering (an idle timeout) is reconnected and the same request sent once more.
   */
  void read() throws IOException {
    status = 0;
    paymentResponseLength = -1;
    paymentRequired = null;
    waitingSince = System.nanoTime();
    try {
      try {
        readStatusLine();
      } catch (IOException e) {
        if (!reused || timedOut) {
          throw e;
        }
        closeSocket();
        connect();
        os.write(out, 0, outLength);
        readStatusLine();
      }
      readHeadersAndBody();
    } catch (IOException e) {
      if (timedOut) {
        throw new SocketTimeoutException("no answer within " + answerTimeoutNs / 1_000_000 + " ms");
      }
      throw e;
    } finally {
      waitingSince = 0;
    }
    reused = true;
    if (close) {
      closeSocket();
    }
  }

  /** The last answer's {@code PAYMENT-RESPONSE} value (base64, ASCII), or null. */
  String paymentResponse() {
    return paymentResponseLength < 0 ? null
        : new String(paymentResponse, 0, paymentResponseLength, StandardCharsets.ISO_8859_1);
  }

  /** The buffer holding the last answer's {@code PAYMENT-RESPONSE} value in [0, {@link #paymentResponseLength}). */
  byte[] paymentResponseBytes() {
    return paymentResponse;
  }

  /** The length of the last answer's {@code PAYMENT-RESPONSE} value, -1 when it had none. */
  int paymentResponseLength() {
    return paymentResponseLength;
  }

  /** The last answer's body, for error messages. */
  String body() {
    return new String(responseBody, 0, bodyLength, StandardCharsets.UTF_8);
  }

  private void readStatusLine() throws IOException {
    readLine();
    // "HTTP/1.1 200 OK"
    if (lineLength < 12 || line[0] != 'H' || line[8] != ' ') {
      throw new IOException("not an HTTP status line: " + new String(line, 0, lineLength, StandardCharsets.ISO_8859_1));
    }
    status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    close = line[7] == '0';   // HTTP/1.0: closes unless it says keep-alive
  }

  private void readHeadersAndBody() throws IOException {
    long contentLength = -1;
    boolean chunked = false;
    while (true) {
      readLine();
      if (lineLength == 0) {
        break;
      }
      int colon = indexOf(line, lineLength, (byte) ':');
      if (colon < 0) {
        continue;
      }
      int v = colon + 1;
      while (v < lineLength && line[v] == ' ') {
        v++;
      }
      if (nameIs(CONTENT_LENGTH, colon)) {
        contentLength = Long.parseLong(value(v));
      } else if (nameIs(TRANSFER_ENCODING, colon)) {
        chunked = value(v).toLowerCase(Locale.ROOT).contains("chunked");
      } else if (nameIs(CONNECTION, colon)) {
        String c = value(v).toLowerCase(Locale.ROOT);
        close = c.contains("close") || (close && !c.contains("keep-alive"));
      } else if (nameIs(PAYMENT_RESPONSE, colon)) {
        int to = lineLength;
        while (to > v && line[to - 1] == ' ') {
          to--;
        }
        if (to - v > paymentResponse.length) {
          paymentResponse = new byte[to - v];
        }
        System.arraycopy(line, v, paymentResponse, 0, to - v);
        paymentResponseLength = to - v;
      } else if (nameIs(PAYMENT_REQUIRED, colon)) {
        paymentRequired = value(v);
      }
    }
    bodyLength = 0;
    if (status / 100 == 1 || status == 204 || status == 304) {
      return;
    }
    if (chunked) {
      while (true) {
        readLine();
        int end = indexOf(line, lineLength, (byte) ';');
        int size = Integer.parseInt(new String(line, 0, end < 0 ? lineLength : end, StandardCharsets.ISO_8859_1).trim(), 16);
        if (size == 0) {
          do {
            readLine();   // trailers, up to the empty line
          } while (lineLength > 0);
          return;
        }
        readBody(size);
        readLine();       // the CRLF after the chunk
      }
    } else if (contentLength >= 0) {
      readBody((int) contentLength);
    } else {
      close = true;       // delimited by the server closing the connection
      while (fill()) {
        readBody(rlim - rpos);
      }
    }
  }

  /** Appends {@code n} bytes of body to {@link #responseBody}. */
  private void readBody(int n) throws IOException {
    if (bodyLength + n > responseBody.length) {
      responseBody = Arrays.copyOf(responseBody, Math.max(bodyLength + n, responseBody.length * 2));
    }
    while (n > 0) {
      if (rpos == rlim && !fill()) {
        throw new EOFException("connection closed in the body");
      }
      int k = Math.min(n, rlim - rpos);
      System.arraycopy(rbuf, rpos, responseBody, bodyLength, k);
      rpos += k;
      bodyLength += k;
      n -= k;
    }
  }

  /** Reads one CRLF-terminated line (without it) into {@link #line}, a buffered run at a time. */
  private void readLine() throws IOException {
    lineLength = 0;
    while (true) {
      if (rpos == rlim && !fill()) {
        throw new EOFException("connection closed by the server");
      }
      int from = rpos;
      int end = from;
      while (end < rlim && rbuf[end] != '\n') {
        end++;
      }
      int k = end - from;
      if (lineLength + k > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + k));
      }
      System.arraycopy(rbuf, from, line, lineLength, k);
      lineLength += k;
      if (end < rlim) {   // found the '\n'
        rpos = end + 1;
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
          lineLength--;
        }
        return;
      }
      rpos = rlim;
    }
  }

  private boolean fill() throws IOException {
    int n = in.read(rbuf);
    if (n <= 0) {
      return false;
    }
    rpos = 0;
    rlim = n;
    return true;
  }

  private boolean nameIs(byte[] lowerName, int colon) {
    if (colon != lowerName.length) {
      return false;
    }
    for (int i = 0; i < colon; i++) {
      if ((line[i] | 0x20) != lowerName[i]) {   // ASCII case folding, right for letters and '-'
        return false;
      }
    }
    return true;
  }

  private String value(int from) {
    int to = lineLength;
    while (to > from && line[to - 1] == ' ') {
      to--;
    }
    return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private static int indexOf(byte[] b, int length, byte x) {
    for (int i = 0; i < length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    // Neither a connect timeout nor SO_TIMEOUT (see the class comment): a timed connect, too, leaves the socket in
    // non-blocking mode for good. The watchdog bounds the connect as it bounds the wait for an answer.
    OPEN.add(this);
    long outer = waitingSince;   // read() reconnecting: its wait goes on after the connect
    waitingSince = System.nanoTime();
    try {
      socket.connect(address);
    } catch (IOException e) {
      if (timedOut) {
        throw new SocketTimeoutException("could not connect to " + address + " within " + answerTimeoutNs / 1_000_000 + " ms");
      }
      throw e;
    } finally {
      waitingSince = outer;
    }
    in = socket.getInputStream();
    os = socket.getOutputStream();
    rpos = 0;
    rlim = 0;
    reused = false;
  }

  /** The watchdog: closes every connection that has waited longer than its answer timeout. */
  private static void watch() {
    while (true) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      for (HttpConnection c : OPEN) {
        long since = c.waitingSince;
        if (since != 0 && now - since > c.answerTimeoutNs) {
          c.timedOut = true;
          c.closeSocket();
        }
      }
    }
  }

  private void closeSocket() {
    Socket s = socket;
    try {
      if (s != null) {
        s.close();
      }
    } catch (IOException ignored) {
      // closing: nothing to do
    }
    OPEN.remove(this);
    if (!timedOut) {
      socket = null;   // the watchdog leaves the field to the client's thread, which fails the run
    }
  }

  @Override
  public void close() {
    closeSocket();
  }
}
