package io.infergate.host.receipts.anchor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real TCP forwarder in front of the chain's RPC port: {@link #down()} closes the listener and every open
 * connection (the RPC is unreachable, as when the node or the network fails), {@link #up()} listens again on the
 * same port. Not a mock: bytes go to the real anvil.
 */
final class TcpRelay implements AutoCloseable {
  private final int targetPort;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket listener;

  TcpRelay(int targetPort) throws IOException {
    this.targetPort = targetPort;
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      this.port = probe.getLocalPort();
    }
    up();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  synchronized void up() throws IOException {
    if (listener != null) {
      return;
    }
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    listener = s;
    Thread accept = new Thread(() -> {
      while (!s.isClosed()) {
        try {
          Socket client = s.accept();
          Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
          open.add(client);
          open.add(target);
          pump(client, target);
          pump(target, client);
        } catch (IOException e) {
          return;
        }
      }
    }, "tcp-relay-accept");
    accept.setDaemon(true);
    accept.start();
  }

  synchronized void down() {
    if (listener == null) {
      return;
    }
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    listener = null;
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    open.clear();
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException ignored) {
        // connection closed
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }, "tcp-relay-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    down();
  }
}
