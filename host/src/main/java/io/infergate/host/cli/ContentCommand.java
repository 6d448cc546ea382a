package io.infergate.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.host.ipfs.car.CarExporter;
import io.infergate.host.ipfs.store.ContentStore;
import io.infergate.host.ipfs.store.ContentStoreOptions;
import io.infergate.host.ipfs.unixfs.ImportResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code infergate content ...}: publish files by CID and manage a node's content store.
 *
 * <pre>
 * infergate content add model.onnx            # prints the CID, writes model.onnx.car, stores+pins it on the local node
 * infergate content list | unpin CID | gc      # the node's store, through its loopback admin routes
 * </pre>
 */
@Command(name = "content", mixinStandardHelpOptions = true, description = "Publish files by IPFS CID and manage a node's content store.",
    subcommands = {ContentCommand.Add.class, ContentCommand.ListContent.class, ContentCommand.Unpin.class,
        ContentCommand.Gc.class})
final class ContentCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** Where the node is: --node, else the dev node's node.json, else the default port. */
  static URI node(String explicit) throws IOException {
    if (explicit != null) {
      return URI.create(explicit.endsWith("/") ? explicit : explicit + "/");
    }
    Path nodeJson = Path.of(".infergate/dev/node.json");
    if (Files.isRegularFile(nodeJson)) {
      JsonNode n = new ObjectMapper().readTree(nodeJson.toFile());
      return URI.create(n.path("url").asText() + "/");
    }
    return URI.create("http://127.0.0.1:8080/");
  }

  static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** One call to the node's admin routes; prints the answer, returns the exit code. */
  static int admin(String node, String method, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(node(node).resolve(path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build());
    System.out.println(r.body());
    return r.statusCode() == 200 ? 0 : 1;
  }

  /** {@code content add FILE}. */
  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Compute FILE's CID (CIDv1, raw leaves, 256 KiB chunks, balanced DAG of 174 links: the same as"
          + " 'ipfs add --cid-version=1'), write a CAR, and store and pin it on the node unless --offline.")
  static final class Add implements Callable<Integer> {
    @Parameters(index = "0", description = "The file (a model, a plugin zip, ...).")
    Path file;

    @Option(names = "--car", description = "Where to write the CAR (default: FILE.car).")
    Path car;

    @Option(names = "--node", description = "The node's URL (default: the dev node, else http://127.0.0.1:8080).")
    String node;

    @Option(names = "--offline", description = "Only compute the CID and write the CAR.")
    boolean offline;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(file)) {
        System.err.println("infergate content add: " + file + " is not a file");
        return 2;
      }
      Path carFile = car != null ? car : file.resolveSibling(file.getFileName() + ".car");
      Path tmp = Files.createTempDirectory("infergate-content-");
      ExecutorService io = Executors.newSingleThreadExecutor();
      try {
        ContentStore store = ContentStore.open(tmp, ContentStoreOptions.defaults().withMaxBytes(Long.MAX_VALUE), io);
        ImportResult r = store.add(file, true);
        try (OutputStream out = Files.newOutputStream(carFile)) {
          CarExporter.create(store.options().dagLimits()).export(r.root(), store, out);
        }
        System.out.println(r.root());
        System.err.println("  " + r.fileSize() + " bytes in " + r.blockCount() + " blocks; CAR: " + carFile);
        if (offline) {
          return 0;
        }
        URI base = node(node);
        try {
          HttpResponse<String> resp = send(HttpRequest.newBuilder(base.resolve("admin/content?root=" + r.root()))
              .header("Content-Type", "application/vnd.ipld.car")
              .POST(HttpRequest.BodyPublishers.ofFile(carFile)).build());
          if (resp.statusCode() != 200) {
            System.err.println("infergate content add: the node at " + base + " refused the CAR: " + resp.body());
            return 1;
          }
          System.err.println("  stored and pinned on " + base + "; served at " + base + "ipfs/" + r.root());
        } catch (ConnectException e) {
          System.err.println("  no node at " + base + " (use --node URL, or --offline); the CAR is ready to publish");
        }
        return 0;
      } finally {
        io.shutdownNow();
        try (Stream<Path> walk = Files.walk(tmp)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /** {@code content list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the node's content (CID, size, pinned).")
  static final class ListContent implements Callable<Integer> {
    @Option(names = "--node", description = "The node's URL.")
    String node;

    @Override
    public Integer call() throws Exception {
      return admin(node, "GET", "admin/content");
    }
  }

  /** {@code content unpin CID}. */
  @Command(name = "unpin", mixinStandardHelpOptions = true, description = "Unpin content; the next gc may remove it.")
  static final class Unpin implements Callable<Integer> {
    @Parameters(index = "0", description = "The CID.")
    String cid;

    @Option(names = "--node", description = "The node's URL.")
    String node;

    @Override
    public Integer call() throws Exception {
      return admin(node, "DELETE", "admin/content/" + cid);
    }
  }

  /** {@code content gc}. */
  @Command(name = "gc", mixinStandardHelpOptions = true, description = "Remove content that is neither pinned nor in use.")
  static final class Gc implements Callable<Integer> {
    @Option(names = "--node", description = "The node's URL.")
    String node;

    @Override
    public Integer call() throws Exception {
      return admin(node, "POST", "admin/content/gc");
    }
  }
}
