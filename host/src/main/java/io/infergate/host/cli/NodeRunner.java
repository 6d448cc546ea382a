package io.infergate.host.cli;

import io.infergate.host.InfergateHost;
import io.infergate.host.config.ConfigException;
import io.infergate.host.config.HostConfig;
import io.infergate.host.models.ModelLoadException;
import io.infergate.host.plugins.PluginRejectedException;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Runs a node in the foreground until SIGINT or SIGTERM, then stops it in order.
 *
 * <p>We handle the signals ourselves instead of relying on a shutdown hook: ONNX Runtime closes its
 * environment from its own hook, and hooks run concurrently, so closing sessions from a hook can race it
 * (ORT issue #31352). Here the node is fully stopped before {@code System.exit} starts the hooks.
 */
final class NodeRunner {
  private NodeRunner() {}

  /** Starts the node, calls {@code ready}, blocks until a stop signal; returns the exit code. */
  static int run(HostConfig config, java.util.function.Consumer<InfergateHost> ready) {
    InfergateHost host;
    try {
      host = InfergateHost.start(config);
    } catch (ConfigException | ModelLoadException | PluginRejectedException e) {
      System.err.println("infergate: cannot start: " + e.getMessage());
      return 2;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    ready.accept(host);
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.err.println("infergate: stopping (draining in-flight calls)");
    host.close();
    return 0;
  }
}
