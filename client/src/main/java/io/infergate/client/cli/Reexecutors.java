package io.infergate.client.cli;

import io.infergate.client.receipts.LocalReexecutor;
import io.infergate.client.receipts.Reexecutor;
import java.net.URI;
import java.util.Map;

/** The re-executor the CLI uses for {@code verify --reexecute}: in-process, fetching by CID from the node. */
final class Reexecutors {
  private Reexecutors() {}

  static Reexecutor forNode(URI node) {
    return new LocalReexecutor(node, Map.of());
  }
}
